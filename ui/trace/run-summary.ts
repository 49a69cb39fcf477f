/**
 * How a run ended, in a few plain sentences: which programs finished or
 * failed, how many connections and bytes, how long it took. Shown at the
 * last step, so the run does not just stop.
 */
import { byteCount } from '../../machines/socket-calls.ts';
import { outcomeOf, type Outcome } from '../../runtime/trace/describe.ts';
import type { Role } from '../../runtime/trace/records.ts';
import { microstepAt, type StepModel } from './steps.ts';

export interface RunSummary {
  /** Each actor's outcome (null: still running when the trace ends), in order of appearance. */
  actors: { actor: string; role: Role; outcome: Outcome | null }[];
  connections: number;
  /** Bytes accepted by every send, and returned by every recv. */
  sent: number;
  received: number;
  /** Time of the last record, on the run's clock. */
  durationMs: number;
  transport: 'sim' | 'tcp' | null;
  prints: number;
}

export function summarize(model: StepModel, roles: ReadonlyMap<string, Role>): RunSummary {
  const last = model.count - 1;
  const actors = model.actors.map((info) => {
    const status = info.end >= 0 ? model.records[model.recordOf[info.end]!] : undefined;
    const outcome =
      status === undefined || status.type !== 'status' ? null : outcomeOf(status, microstepAt(model, info.actor, info.end)?.state ?? null);
    return { actor: info.actor, role: roles.get(info.actor) ?? 'client', outcome };
  });
  const conns = new Set<string>();
  let sent = 0;
  let received = 0;
  let prints = 0;
  for (const r of model.records) {
    if (r.type === 'connect' || r.type === 'accept') conns.add(r.conn);
    else if (r.type === 'send') sent += typeof r.accepted === 'number' ? r.accepted : 0;
    else if (r.type === 'recv') received += typeof r.size === 'number' ? r.size : 0;
    else if (r.type === 'print') prints++;
  }
  const header = model.records[0];
  return {
    actors,
    connections: conns.size,
    sent,
    received,
    durationMs: last < 0 ? 0 : model.records[model.records.length - 1]!.t,
    transport: header?.type === 'run' ? header.transport : null,
    prints,
  };
}

/** 'server1 finished ✓', or for many actors of one role and outcome, '3 clients finished ✓'. */
function outcomePhrases(summary: RunSummary): string[] {
  const groups = new Map<string, string[]>();
  for (const a of summary.actors) {
    const word = a.outcome === null ? 'was still running' : a.outcome.kind === 'finished' ? 'finished ✓' : a.outcome.kind === 'failed' ? a.outcome.badge : 'was stopped (the run ended)';
    const key = `${a.role}\u0000${word}`;
    groups.set(key, [...(groups.get(key) ?? []), a.actor]);
  }
  return [...groups].map(([key, names]) => {
    const [role, word] = key.split('\u0000') as [Role, string];
    if (names.length <= 3) return `${names.join(', ')} ${word}`;
    const plural = role === 'session' ? 'sessions' : `${role}s`;
    return `${names.length} ${plural} ${word}`;
  });
}

/** The summary as sentences. */
export function summaryText(summary: RunSummary): string[] {
  const clock = summary.transport === 'sim' ? 'of simulated time' : '';
  return [
    `${outcomePhrases(summary).join('; ')}.`,
    `${summary.connections === 1 ? '1 connection' : `${summary.connections} connections`}: ${byteCount(summary.sent)} sent, ${byteCount(summary.received)} received, in ${summary.durationMs.toLocaleString('en-US')} ms ${clock}`.trimEnd() + '.',
  ];
}
