/**
 * Runs published by another process: `sockstep run ... --inspect`, or a
 * tap. The process registers a run (`POST /api/runs { kind: 'external',
 * title }`), sends its records as JSON lines in batches (`POST
 * /api/runs/:id/records`, Content-Type application/x-ndjson), exactly as
 * its `--trace` file has them, and ends it (`POST /api/runs/:id/end`).
 *
 * Every batch is read by the run's own TraceLineReader, so the checks of a
 * trace file hold across batches: a header first, version 2, seq only
 * growing. A bad batch ends the run (`failed`, with the reader's sentence):
 * its sender is broken, and a half-read trace would mislead.
 *
 * The process holds a lease: a batch (an empty one will do) at least every
 * `idleMs`, or the run ends as `lost`. A run stopped from the page answers
 * the next batch with 410 `run_ended`: that is how the process hears it.
 */
import { TraceFileError, TraceLineReader } from '../trace/json.ts';
import type { Json } from '../trace/records.ts';
import { ApiError } from './api-errors.ts';
import type { LiveRun, RunKind } from './live-run.ts';
import type { RunRegistry } from './run-registry.ts';

/** A process that sends nothing for this long has gone (ms); its client sends a batch every LEASE_RENEW_MS. */
export const EXTERNAL_IDLE_MS = 60_000;

interface External {
  reader: TraceLineReader;
  lease: ReturnType<typeof setTimeout>;
}

const externals = new WeakMap<LiveRun, External>();

/** Register a run another process will publish. */
export function createExternalRun(registry: RunRegistry, kind: Exclude<RunKind, 'page'>, title: string, idleMs = EXTERNAL_IDLE_MS): LiveRun {
  const run = registry.create({ kind, title }, async (end) => {
    run.finish(end);
  });
  const lease = setTimeout(() => {
    run.finish({ reason: 'lost', message: 'the program that published this run stopped talking to the app' });
  }, idleMs);
  lease.unref();
  externals.set(run, { reader: new TraceLineReader(), lease });
  void run.ended().then(() => clearTimeout(lease));
  return run;
}

function externalOf(run: LiveRun): External {
  const external = externals.get(run);
  if (external === undefined) {
    throw new ApiError(409, 'not_external', `run ${run.id} is run by the app itself; only a run another program registered takes records`);
  }
  if (run.status === 'ended') {
    const why = run.end?.message ?? run.end?.reason ?? 'it ended';
    throw new ApiError(410, 'run_ended', `run ${run.id} has ended (${why}); it takes no more records`);
  }
  return external;
}

/** Take a batch of JSON lines; resolves with how many records it held and the last seq. */
export function ingestRecords(run: LiveRun, text: string): { accepted: number; last: number } {
  const external = externalOf(run);
  external.lease.refresh();
  let accepted = 0;
  for (const line of text.split('\n')) {
    let record;
    try {
      record = external.reader.read(line);
    } catch (error) {
      const message = error instanceof TraceFileError ? error.message : String(error);
      run.finish({ reason: 'failed', message: `a record sent for this run could not be read: ${message}` });
      throw new ApiError(400, 'bad_records', `record ${accepted + 1} of this batch: ${message}`);
    }
    if (record === null) continue;
    if (!Number.isSafeInteger(record.seq) || record.seq < 0) {
      const message = `seq must be a whole number, 0 or more (got ${JSON.stringify(record.seq)})`;
      run.finish({ reason: 'failed', message: `a record sent for this run could not be read: ${message}` });
      throw new ApiError(400, 'bad_records', `record ${accepted + 1} of this batch: ${message}`);
    }
    run.add(record);
    accepted += 1;
  }
  return { accepted, last: run.window.lastSeq };
}

const END_REASONS = new Set(['finished', 'failed', 'stopped']);

/** The process says its run is over: `{ reason?, message?, outcome? }`. */
export function endExternalRun(run: LiveRun, body: unknown): void {
  externalOf(run);
  const b = (body ?? {}) as { reason?: unknown; message?: unknown; outcome?: unknown };
  if (typeof b !== 'object' || Array.isArray(b)) throw new ApiError(400, 'bad_request', 'the body must be a JSON object such as { "reason": "finished" }');
  for (const key of Object.keys(b)) {
    if (!['reason', 'message', 'outcome'].includes(key)) {
      throw new ApiError(400, 'unknown_field', `unknown field "${key}"; the fields are reason, message, outcome`, key);
    }
  }
  if (b.reason !== undefined && (typeof b.reason !== 'string' || !END_REASONS.has(b.reason))) {
    throw new ApiError(400, 'bad_request', `reason must be finished, failed or stopped (got ${JSON.stringify(b.reason)})`, 'reason');
  }
  if (b.message !== undefined && typeof b.message !== 'string') {
    throw new ApiError(400, 'bad_request', 'message must be text', 'message');
  }
  run.finish({
    reason: (b.reason as 'finished' | 'failed' | 'stopped' | undefined) ?? 'finished',
    ...(b.message === undefined ? {} : { message: b.message as string }),
    ...(b.outcome === undefined ? {} : { outcome: b.outcome as Json }),
  });
}
