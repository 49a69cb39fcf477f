/**
 * How a run ended, in a few plain sentences: which programs finished or
 * failed, how many connections and bytes, how long it took. Shown at the
 * last step, so the run does not just stop.
 */
import { byteCount } from '../../machines/socket-calls.ts';
import { outcomeOf, type Outcome } from '../../runtime/trace/describe.ts';
import type { Role, TraceRecord } from '../../runtime/trace/records.ts';
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

/**
 * The run's totals, kept as records arrive and carried across a window (a
 * long run's summary counts the whole run, not only the steps held).
 */
export class RunTotals {
  connections = 0;
  sent = 0;
  received = 0;
  prints = 0;
  /** Time of the latest record. */
  lastT = 0;
  transport: 'sim' | 'tcp' | null = null;
  /** Connections counted: both ends of one connection count once. */
  private readonly counted = new Set<string>();

  /** Count one record; `opened` says it opened a connection not seen before (the wire index knows). */
  add(r: TraceRecord, opened?: boolean): void {
    if (typeof r.t === 'number') this.lastT = r.t;
    if (r.type === 'run') this.transport = r.transport;
    else if (r.type === 'connect' || r.type === 'accept') {
      if (opened ?? !this.counted.has(r.conn)) {
        this.connections++;
        // Only needed when the caller cannot say: a whole trace summarised at once.
        if (opened === undefined) this.counted.add(r.conn);
      }
    } else if (r.type === 'send') this.sent += typeof r.accepted === 'number' ? r.accepted : 0;
    else if (r.type === 'recv') this.received += typeof r.size === 'number' ? r.size : 0;
    else if (r.type === 'print') this.prints++;
  }
}

/** The totals of a whole trace. */
export function totalsOf(records: Iterable<TraceRecord>): RunTotals {
  const totals = new RunTotals();
  for (const r of records) totals.add(r);
  return totals;
}

/** O(actors): the counts come from `totals`, kept as records arrived. */
export function summarize(model: StepModel, roles: ReadonlyMap<string, Role>, totals: RunTotals = totalsOf(model.records)): RunSummary {
  const actors = model.actors.map((info) => {
    const status = info.end >= 0 ? model.records[model.recordOf[info.end]!] : undefined;
    const outcome =
      status === undefined || status.type !== 'status' ? null : outcomeOf(status, microstepAt(model, info.actor, info.end)?.state ?? null);
    return { actor: info.actor, role: roles.get(info.actor) ?? 'client', outcome };
  });
  return {
    actors,
    connections: totals.connections,
    sent: totals.sent,
    received: totals.received,
    durationMs: model.count === 0 ? 0 : totals.lastT,
    transport: totals.transport,
    prints: totals.prints,
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
