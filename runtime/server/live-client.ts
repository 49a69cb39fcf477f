/**
 * Publish a run to a running app from another process: what `sockstep run
 * ... --inspect` and a tap use to show their runs live in the page.
 *
 *   const app = (await findApp()) ?? (await startApp({ distDir }));   // start-app.ts
 *   const live = await openLiveRun(app, { title: 'server1 on port 12345', onStopped: (why) => ... });
 *   live.attach(trace);            // the header, the records so far, then each new one
 *   ...
 *   await live.end({ reason: 'finished' });
 *
 * Records are sent as JSON lines (as the trace file has them), in batches:
 * one request at a time, every BATCH_MS or once MAX_BATCH_BYTES are
 * waiting. `push()` returns false once more than `highWaterBytes` wait to
 * be sent (like a stream's write()); `drain()` resolves when they are down
 * again. A program whose sockets cannot wait for the page keeps pushing:
 * past `maxPendingBytes` records are dropped rather than held (`dropped`
 * counts them; the page sees the gap in seq), so the app never makes the
 * run's memory grow without bound.
 *
 * When the page stops the run, the app answers the next batch with 410
 * `run_ended`; `onStopped` hears it (the program should then stop). When
 * the app goes away, `onFailed` hears it and nothing more is sent.
 */
import { recordToJson } from '../trace/json.ts';
import type { Json, TraceRecord } from '../trace/records.ts';
import type { Trace } from '../trace/trace.ts';
import { readAppFiles } from './runtime-file.ts';

export interface AppInfo {
  /** The app's address, ending in '/'. */
  url: string;
  token: string;
}

export const BATCH_MS = 40;
export const MAX_BATCH_BYTES = 256 * 1024;
export const HIGH_WATER_BYTES = 4 * 1024 * 1024;
export const MAX_PENDING_BYTES = 32 * 1024 * 1024;
/** An idle run still tells the app it is alive this often (the app's lease is 60 s). */
export const LEASE_RENEW_MS = 15_000;
/** How long one request to the app may take. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** Is there a sockstep app answering at `url`? */
async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(new URL('healthz', url), { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as { ok?: unknown; app?: unknown };
    return res.ok && body.ok === true && body.app === 'sockstep';
  } catch {
    return false;
  }
}

/** A running app of this user (the newest that answers), or null. */
export async function findApp(options: { dir?: string } = {}): Promise<AppInfo | null> {
  for (const app of readAppFiles(options.dir)) {
    if (await answers(app.url)) return { url: app.url, token: app.token };
  }
  return null;
}

/** An answer of the app that is not a success, as an Error with the app's code and sentence. */
export class AppRequestError extends Error {
  override readonly name = 'AppRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function request(app: AppInfo, method: string, path: string, body: string | null, type = 'application/json'): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(new URL(path, app.url), {
      method,
      headers: { 'X-Sockstep-Token': app.token, ...(body === null ? {} : { 'Content-Type': type }) },
      ...(body === null ? {} : { body }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new AppRequestError(0, 'unreachable', `the app at ${app.url} does not answer (${cause})`);
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON: said below.
  }
  if (!res.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
    throw new AppRequestError(res.status, error?.code ?? 'http_error', error?.message ?? `the app answered ${res.status}`);
  }
  return parsed;
}

export interface LiveRunOptions {
  title: string;
  kind?: 'external' | 'tap';
  /** The page stopped the run: the program should stop too. */
  onStopped?: (message: string) => void;
  /** The app went away or refused a batch: nothing more is sent. */
  onFailed?: (message: string) => void;
  batchMs?: number;
  maxBatchBytes?: number;
  highWaterBytes?: number;
  maxPendingBytes?: number;
  leaseRenewMs?: number;
}

export type LiveRunState = 'open' | 'stopped' | 'failed' | 'ended';

/** Register a run with the app; push its records with the client this resolves with. */
export async function openLiveRun(app: AppInfo, options: LiveRunOptions): Promise<LiveRunClient> {
  const answer = (await request(app, 'POST', 'api/runs', JSON.stringify({ kind: options.kind ?? 'external', title: options.title }))) as {
    id: string;
  };
  return new LiveRunClient(app, answer.id, options);
}

export class LiveRunClient {
  state: LiveRunState = 'open';
  /** Records not sent because too many were waiting (the page shows the gap). */
  dropped = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  private inFlight: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastSent = Date.now();
  private readonly lease: ReturnType<typeof setInterval>;
  private drainWaiters: (() => void)[] = [];
  private detach: (() => void) | null = null;
  private readonly limits: Required<Pick<LiveRunOptions, 'batchMs' | 'maxBatchBytes' | 'highWaterBytes' | 'maxPendingBytes'>>;

  constructor(
    readonly app: AppInfo,
    /** The run's id in the app: its stream is `${app.url}api/runs/${id}/events`. */
    readonly id: string,
    private readonly options: LiveRunOptions,
  ) {
    this.limits = {
      batchMs: options.batchMs ?? BATCH_MS,
      maxBatchBytes: options.maxBatchBytes ?? MAX_BATCH_BYTES,
      highWaterBytes: options.highWaterBytes ?? HIGH_WATER_BYTES,
      maxPendingBytes: options.maxPendingBytes ?? MAX_PENDING_BYTES,
    };
    const renew = options.leaseRenewMs ?? LEASE_RENEW_MS;
    this.lease = setInterval(() => {
      if (this.inFlight === null && Date.now() - this.lastSent >= renew) this.send();
    }, renew);
    this.lease.unref();
  }

  /** Bytes waiting to be sent. */
  get waiting(): number {
    return this.pendingBytes;
  }

  /** Send a trace's header and records so far, then each record as it is added. */
  attach(trace: Trace): void {
    const seen = new Set<number>();
    for (const r of [trace.header, ...trace.records]) {
      if (!seen.has(r.seq)) this.push(r);
      seen.add(r.seq);
    }
    this.detach = trace.subscribe((r) => this.push(r));
  }

  /** Queue a record; false once more than the high-water mark waits (see drain()). */
  push(record: TraceRecord): boolean {
    if (this.state !== 'open') return false;
    const line = recordToJson(record);
    if (this.pendingBytes + line.length > this.limits.maxPendingBytes && this.pending.length > 0) {
      this.dropped += 1;
      return false;
    }
    this.pending.push(line);
    this.pendingBytes += line.length + 1;
    if (this.pendingBytes >= this.limits.maxBatchBytes) this.send();
    else if (this.timer === null && this.inFlight === null) this.timer = setTimeout(() => this.send(), this.limits.batchMs);
    return this.pendingBytes <= this.limits.highWaterBytes;
  }

  /** Resolves once what waits is below the high-water mark (or the run can take no more). */
  drain(): Promise<void> {
    if (this.pendingBytes <= this.limits.highWaterBytes || this.state !== 'open') return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Resolves once everything pushed so far has been sent (or cannot be). */
  async flush(): Promise<void> {
    while (this.state === 'open' && (this.pending.length > 0 || this.inFlight !== null)) {
      if (this.inFlight === null) this.send();
      await this.inFlight;
    }
  }

  /** Send what waits, then tell the app the run is over. */
  async end(end: { reason?: 'finished' | 'failed' | 'stopped'; message?: string; outcome?: Json } = {}): Promise<void> {
    this.detach?.();
    await this.flush();
    clearInterval(this.lease);
    if (this.state !== 'open') return;
    this.state = 'ended';
    try {
      await request(this.app, 'POST', `api/runs/${this.id}/end`, JSON.stringify(end));
    } catch (error) {
      // The app went away or the page stopped the run first: the run is over either way.
      if (!(error instanceof AppRequestError)) throw error;
    }
  }

  /** Send the next batch (at most maxBatchBytes), unless one is on its way. */
  private send(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.inFlight !== null || this.state !== 'open') return;
    let bytes = 0;
    let count = 0;
    while (count < this.pending.length && (count === 0 || bytes + this.pending[count]!.length + 1 <= this.limits.maxBatchBytes)) {
      bytes += this.pending[count]!.length + 1;
      count += 1;
    }
    const batch = this.pending.splice(0, count);
    this.pendingBytes -= bytes;
    this.lastSent = Date.now();
    const body = batch.length === 0 ? '' : batch.join('\n') + '\n';
    this.inFlight = request(this.app, 'POST', `api/runs/${this.id}/records`, body, 'application/x-ndjson').then(
      () => this.sent(),
      (error: unknown) => this.failed(error),
    );
  }

  private sent(): void {
    this.inFlight = null;
    if (this.pendingBytes <= this.limits.highWaterBytes) for (const wake of this.drainWaiters.splice(0)) wake();
    if (this.pendingBytes >= this.limits.maxBatchBytes) this.send();
    else if (this.pending.length > 0 && this.timer === null) this.timer = setTimeout(() => this.send(), this.limits.batchMs);
  }

  private failed(error: unknown): void {
    this.inFlight = null;
    const e = error instanceof AppRequestError ? error : new AppRequestError(0, 'unreachable', String(error));
    this.state = e.code === 'run_ended' ? 'stopped' : 'failed';
    this.pending = [];
    this.pendingBytes = 0;
    clearInterval(this.lease);
    this.detach?.();
    for (const wake of this.drainWaiters.splice(0)) wake();
    if (this.state === 'stopped') this.options.onStopped?.(e.message);
    else this.options.onFailed?.(e.message);
  }
}
