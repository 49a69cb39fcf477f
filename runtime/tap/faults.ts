/**
 * The faults a tap can inject to make a hidden bug show, as plain data:
 *
 *   --chunk N          deliver in pieces of at most N bytes: a program that
 *                      assumes one recv() gets one whole message breaks
 *   --delay MS         wait MS before each piece: a program with a short
 *                      timeout, or one that sends before reading, breaks
 *   --reset-after N    reset both ends once N bytes have passed (both ways
 *                      together): a program that ignores ECONNRESET breaks
 *
 * Each fault leaves a `fault` record (runtime/trace/records.ts). Browser-safe.
 */

export interface TapFaults {
  /** Largest piece delivered, in bytes (at least 1). */
  chunk?: number;
  /** Wait before each piece, in ms (0 or more). */
  delayMs?: number;
  /** Reset the connection once this many bytes have passed (0 or more). */
  resetAfter?: number;
}

/** Why a fault option cannot be used, or null. */
export function faultsProblem(faults: TapFaults): string | null {
  const { chunk, delayMs, resetAfter } = faults;
  if (chunk !== undefined && !(Number.isInteger(chunk) && chunk >= 1)) return `--chunk must be a whole number of bytes, 1 or more (got ${chunk})`;
  if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0)) return `--delay must be 0 or more milliseconds (got ${delayMs})`;
  if (resetAfter !== undefined && !(Number.isInteger(resetAfter) && resetAfter >= 0)) {
    return `--reset-after must be a whole number of bytes, 0 or more (got ${resetAfter})`;
  }
  return null;
}

/** `bytes` cut into pieces of at most `size` bytes (views, no copies). */
export function piecesOf(bytes: Uint8Array, size = Infinity): Uint8Array[] {
  if (bytes.length <= size) return [bytes];
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** How many pieces of at most `size` bytes each chunk makes, all together. */
export function pieceCount(chunks: readonly Uint8Array[], size = Infinity): number {
  let n = 0;
  for (const c of chunks) n += c.length === 0 ? 0 : size === Infinity ? 1 : Math.ceil(c.length / size);
  return n;
}
