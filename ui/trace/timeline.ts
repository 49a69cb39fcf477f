/**
 * Each client's life in a run, for setting scenarios side by side: when it
 * started, when its connect() returned (the connection is made, by TCP's
 * handshake, whether or not the server has accepted it yet), when the
 * server accepted that connection, and when the client ended. Between
 * connect and accept the client waits in the server's backlog: the
 * difference between a thread per client and an iterative server.
 *
 * Times are the trace's `t` (milliseconds on the run's clock); a run whose
 * records all have the same time is measured in steps instead.
 */
import type { Role, TraceRecord } from '../../runtime/trace/records.ts';
import { rolesOf } from './roles.ts';
import { buildSteps } from './steps.ts';

export interface ClientBar {
  actor: string;
  start: number;
  /** connect() returned: the connection exists, maybe still in the backlog. */
  connected: number | null;
  /** The server accepted it. */
  accepted: number | null;
  /** The client ended (its status record), or null if it never did. */
  end: number | null;
  failed: boolean;
}

export interface Timeline {
  clients: ClientBar[];
  /** The time of the run's last record. */
  end: number;
  unit: 'ms' | 'steps';
}

export function clientTimeline(records: readonly TraceRecord[], machineRoles: Readonly<Record<string, Role>> = {}): Timeline {
  const model = buildSteps(records);
  const roles = rolesOf(model, machineRoles);
  const last = records[records.length - 1];
  const unit = last !== undefined && last.t > 0 ? 'ms' : 'steps';
  const timeOf = (index: number) => (unit === 'ms' ? records[index]!.t : Math.max(0, model.stepOfRecord[index]!));
  const acceptedAt = new Map<string, number>();
  records.forEach((r, i) => {
    if (r.type === 'accept' && !acceptedAt.has(r.conn)) acceptedAt.set(r.conn, timeOf(i));
  });
  const clients: ClientBar[] = [];
  for (const info of model.actors) {
    if (roles.get(info.actor) !== 'client' || info.parent !== null) continue;
    let connected: number | null = null;
    let conn: string | null = null;
    for (const index of info.calls) {
      const r = records[index]!;
      if (r.type === 'connect') {
        connected = timeOf(index);
        conn = r.conn;
        break;
      }
    }
    const statusIndex = info.end < 0 ? -1 : model.recordOf[info.end]!;
    const status = statusIndex < 0 ? null : records[statusIndex]!;
    const output = status?.type === 'status' ? (status.output as { error?: unknown } | undefined) : undefined;
    clients.push({
      actor: info.actor,
      start: timeOf(model.recordOf[info.first]!),
      connected,
      accepted: conn === null ? null : (acceptedAt.get(conn) ?? null),
      end: statusIndex < 0 ? null : timeOf(statusIndex),
      failed: status?.type === 'status' && (status.status === 'error' || (output?.error !== undefined && output.error !== null)),
    });
  }
  return { clients, end: records.length === 0 ? 0 : timeOf(records.length - 1), unit };
}

/** How long each client waited in the backlog (connect → accept), in the timeline's unit. */
export function backlogWaits(timeline: Timeline): number[] {
  return timeline.clients.map((c) => (c.connected === null || c.accepted === null ? 0 : Math.max(0, c.accepted - c.connected)));
}
