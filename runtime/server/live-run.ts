/**
 * One live run as the app holds it: what it is (id, title, kind, machine,
 * start time), whether it is still running, and its records in a bounded
 * window (record-window.ts), each encoded once as a JSON line for every
 * page that streams it (sse-stream.ts).
 *
 * Records come from a `Trace` the app owns (a machine started from the
 * page: `attachTrace`) or from another process that publishes its run
 * (`sockstep run --inspect`, a tap: `add` with records it already numbered).
 */
import type { Endpoint } from '../../machines/socket-calls.ts';
import { recordToJson } from '../trace/json.ts';
import type { Json, TraceRecord } from '../trace/records.ts';
import type { Trace } from '../trace/trace.ts';
import { RecordWindow, type WindowLimits } from './record-window.ts';

/** Who made the run: the page (a lesson machine the app runs), a CLI process, or a tap. */
export type RunKind = 'page' | 'external' | 'tap';
export type RunStatus = 'running' | 'ended';
/**
 * Why a run ended: its machine finished (well or not, the trace's `status`
 * records say which), it was stopped (from the page or its process), its
 * process stopped talking to the app, or the app closed.
 */
export type EndReason = 'finished' | 'stopped' | 'lost' | 'closed' | 'failed';

export interface RunEnd {
  reason: EndReason;
  /** Wall-clock time, ms since 1970. */
  at: number;
  /** A sentence for the page, when there is more to say than the reason. */
  message?: string;
  /** The machine's output (page runs), as JSON. */
  outcome?: Json;
}

export interface RunInfo {
  kind: RunKind;
  title: string;
  /** The lesson machine it runs (page runs). */
  machine?: string;
  lesson?: string;
  /** The options it was started with, checked (page runs). */
  options?: Readonly<Record<string, string | number | undefined>>;
}

/** What `GET /api/runs` says of each run. */
export interface RunSummary extends RunInfo {
  id: string;
  status: RunStatus;
  /** Wall-clock time, ms since 1970. */
  startedAt: number;
  end: RunEnd | null;
  /** Where its listening sockets are bound right now (a server on port 0 says which port it got). */
  listening: Endpoint[];
  records: { last: number; held: number; dropped: number };
}

export type RunListener = () => void;

export class LiveRun {
  readonly startedAt = Date.now();
  readonly window: RecordWindow;
  status: RunStatus = 'running';
  end: RunEnd | null = null;
  private readonly listeners = new Set<RunListener>();
  /** Listening sockets open now, by listener id. */
  private readonly bound = new Map<string, Endpoint>();
  private endWaiters: (() => void)[] = [];
  /** Streams open on it now. */
  private viewers = 0;
  private unwatched: { ms: number; onIdle: () => void; timer: ReturnType<typeof setTimeout> | null } | null = null;

  constructor(
    readonly id: string,
    readonly info: RunInfo,
    limits?: WindowLimits,
  ) {
    this.window = new RecordWindow(limits);
  }

  /** Add a numbered record; streams hear of it. Records after the end are ignored. */
  add(record: TraceRecord): void {
    if (this.status === 'ended') return;
    this.window.add(record.seq, recordToJson(record), record as { type: string; actor?: string });
    if (record.type === 'listen') this.bound.set(record.listener, { ...record.address });
    else if (record.type === 'closeListener') this.bound.delete(record.listener);
    for (const listener of this.listeners) listener();
  }

  /** Take every record of a trace the app owns: the ones it holds now, then each as it is added. */
  attachTrace(trace: Trace): () => void {
    for (const record of trace.records) if (record.seq > this.window.lastSeq) this.add(record);
    return trace.subscribe((record) => this.add(record));
  }

  /** Mark it ended (once) and tell every stream. */
  finish(end: Omit<RunEnd, 'at'>): void {
    if (this.status === 'ended') return;
    this.status = 'ended';
    this.end = { ...end, at: Date.now() };
    this.bound.clear();
    for (const listener of this.listeners) listener();
    for (const wake of this.endWaiters.splice(0)) wake();
  }

  /** Resolves once the run has ended. */
  ended(): Promise<void> {
    if (this.status === 'ended') return Promise.resolve();
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  /** Hear of every new record and of the end (to read them from the window); returns the way to stop. */
  onChange(listener: RunListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A page streams this run; returns the way to say it stopped. */
  watch(): () => void {
    this.viewers += 1;
    this.clearUnwatchedTimer();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.viewers -= 1;
      this.armUnwatchedTimer();
    };
  }

  /**
   * Call `onIdle` once no page has streamed this run for `ms` (from now,
   * or from when the last stream closed). A reload reconnects well within
   * it; a closed tab does not.
   */
  stopWhenUnwatched(ms: number, onIdle: () => void): void {
    this.unwatched = { ms, onIdle, timer: null };
    this.armUnwatchedTimer();
    void this.ended().then(() => this.clearUnwatchedTimer());
  }

  private armUnwatchedTimer(): void {
    const u = this.unwatched;
    if (u === null || this.viewers > 0 || this.status === 'ended' || u.timer !== null) return;
    u.timer = setTimeout(() => {
      u.timer = null;
      if (this.viewers === 0 && this.status === 'running') u.onIdle();
    }, u.ms);
    u.timer.unref();
  }

  private clearUnwatchedTimer(): void {
    if (this.unwatched?.timer != null) {
      clearTimeout(this.unwatched.timer);
      this.unwatched.timer = null;
    }
  }

  summary(): RunSummary {
    return {
      id: this.id,
      ...this.info,
      status: this.status,
      startedAt: this.startedAt,
      end: this.end,
      listening: [...this.bound.values()],
      records: { last: this.window.lastSeq, held: this.window.size, dropped: this.window.dropped },
    };
  }
}
