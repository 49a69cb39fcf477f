/**
 * Cancelling a call that waits. Every such call takes an AbortSignal
 * (types.ts); when it fires, the call takes back whatever it had started
 * (a pending recv() leaves the queue, a half-made connection is torn down)
 * and rejects with ECANCELED, so the socket is as if the call was never made.
 *
 * Browser-safe: no `node:` import.
 */
import { cancelledError } from './errors.ts';

/** An already-aborted signal: the call rejects at once, before it does anything. */
export function throwIfAborted(signal: AbortSignal | undefined, call: string): void {
  if (signal?.aborted) throw cancelledError(call);
}

/**
 * Run `cancel` once, when `signal` fires. Returns the function that stops
 * listening: call it as soon as the call settles, so a long-lived signal
 * does not collect listeners (and a late abort does nothing).
 */
export function onAbort(signal: AbortSignal | undefined, cancel: () => void): () => void {
  if (signal === undefined) return () => {};
  signal.addEventListener('abort', cancel, { once: true });
  return () => signal.removeEventListener('abort', cancel);
}
