/**
 * How a machine ended. XState reports `done` for any final state, so a
 * machine that ends in its `failed` state would read as a success; here it
 * is a failure, with the error its output carries (`{ code, message }`)
 * and, for a transport error, what that code means in plain words.
 */
import type { StateValue, StatusRecord } from '../../runtime/trace/records.ts';
import { TRANSPORT_ERROR_HINTS, type TransportErrorCode } from '../../runtime/transport/errors.ts';

export interface Outcome {
  kind: 'finished' | 'failed' | 'stopped';
  /** The error's code ('ECONNREFUSED'), when the output names one. */
  code: string | null;
  /** The error's own message, raw. */
  message: string | null;
  /** What the code means and what to try, for codes we know. */
  hint: string | null;
  /** The short badge: 'finished ✓', 'failed ✗ ECONNREFUSED', 'stopped'. */
  badge: string;
}

/** The `error` of a machine's output, when it is `{ code?, message? }`. */
function outputError(output: unknown): { code: string | null; message: string | null } | null {
  if (typeof output !== 'object' || output === null || Array.isArray(output)) return null;
  const error = (output as { error?: unknown }).error;
  if (error === undefined || error === null) return null;
  if (typeof error !== 'object') return { code: null, message: String(error) };
  const { code, message } = error as { code?: unknown; message?: unknown };
  return { code: typeof code === 'string' ? code : null, message: typeof message === 'string' ? message : null };
}

/** What a transport error code means and what to try (TRANSPORT_ERROR_HINTS), or null for a code we do not know. */
export function hintFor(code: string | null): string | null {
  if (code === null || !Object.hasOwn(TRANSPORT_ERROR_HINTS, code)) return null;
  return TRANSPORT_ERROR_HINTS[code as TransportErrorCode];
}

/** The outcome of a status record; `lastState` is the actor's state when it stopped, if known. */
export function outcomeOf(status: StatusRecord, lastState: StateValue | null = null): Outcome {
  if (status.status === 'stopped') return { kind: 'stopped', code: null, message: null, hint: null, badge: 'stopped' };
  const error = outputError(status.output);
  const failed = status.status === 'error' || error !== null || lastState === 'failed';
  if (!failed) return { kind: 'finished', code: null, message: null, hint: null, badge: 'finished ✓' };
  const code = error?.code ?? null;
  return { kind: 'failed', code, message: error?.message ?? null, hint: hintFor(code), badge: code === null ? 'failed ✗' : `failed ✗ ${code}` };
}
