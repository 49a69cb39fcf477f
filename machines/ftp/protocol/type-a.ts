/**
 * TYPE A (ASCII) line-end conversion for the data connection.
 *
 * RFC 959 section 3.1.1.1: "In accordance with the NVT standard, the <CRLF>
 * sequence should be used where necessary to denote the end of a line of
 * text." Our files use LF, like Unix, so:
 *
 *   sending    lfToCrlf:  every LF becomes CR LF       "a\nb"   -> "a\r\nb"
 *   receiving  crlfToLf:  every CR LF becomes LF       "a\r\nb" -> "a\nb"
 *
 * Sending converts EVERY LF, even one already after a CR: "a\r\n" goes out
 * as "a\r\r\n" and comes back as "a\r\n". Why: on our (Unix-like) side the
 * line end is LF and a CR is a data byte, and section 3.1.1.1 asks the
 * sender to turn its own line end into CRLF, nothing more. It also makes the
 * two directions exact inverses: a file fetched and stored again in TYPE A
 * comes back byte for byte, and no file is changed by a round trip.
 *
 * The cost: a file that already has CRLF line ends (written on Windows and
 * stored in TYPE I) reaches a Windows client in TYPE A as CR CR LF. The
 * client turns the CRLF into its own line end and keeps the extra CR, so
 * the saved file has CR CR LF: many editors show a stray ^M or an empty
 * line between the lines. Fetch such files in TYPE I. (wu-ftpd does as we
 * do; ProFTPD and current vsftpd leave a CRLF as it is instead, and then
 * a round trip turns CRLF files into LF files.)
 *
 * Receiving must hold back a CR at the end of a chunk: only the next chunk
 * says whether it is the first half of a CRLF. Hence the state, and the
 * end call that releases a CR that turned out to be the last byte.
 *
 * Browser-safe: no `node:` import.
 */
import { CR, LF, NO_BYTES } from './text.ts';

const JUST_CR = Uint8Array.of(CR);

/*
 * Speed (the target is 200 MB/s): the work per byte is done by native
 * calls, indexOf to find line ends and one set() plus copyWithin() to move
 * whole lines, never a JavaScript loop over every byte nor a subarray
 * object per line. That is about twice as fast as either.
 */

/** Positions of LFs in the chunk being converted; reused so each call allocates only its output. */
let lfPositions = new Int32Array(4096);

/**
 * LF -> CRLF. Needs no state: the answer for a byte never depends on the
 * chunk before. Returns `chunk` itself when it holds no LF.
 */
export function lfToCrlf(chunk: Uint8Array): Uint8Array {
  let count = 0;
  for (let lf = chunk.indexOf(LF); lf >= 0; lf = chunk.indexOf(LF, lf + 1)) {
    if (count === lfPositions.length) {
      const bigger = new Int32Array(count * 2);
      bigger.set(lfPositions);
      lfPositions = bigger;
    }
    lfPositions[count++] = lf;
  }
  if (count === 0) return chunk;
  const out = new Uint8Array(chunk.length + count);
  out.set(chunk);
  // From the end, move each line right by the number of CRs still to insert before it.
  let end = chunk.length;
  for (let k = count - 1; k >= 0; k--) {
    const lf = lfPositions[k]!;
    out.copyWithin(lf + k + 1, lf, end); // the LF and the line after it
    out[lf + k] = CR;
    end = lf;
  }
  return out;
}

export interface CrlfToLfState {
  /** The previous chunk ended in a CR, not yet written. */
  readonly pendingCr: boolean;
}

/** The state before the first chunk. */
export const CRLF_TO_LF_START: CrlfToLfState = { pendingCr: false };

/**
 * CRLF -> LF, continuing from `state`. A lone CR is data and stays. Pass
 * `rest` with the next chunk, and to `crlfToLfEnd` after the last one.
 */
export function crlfToLf(state: CrlfToLfState, chunk: Uint8Array): { output: Uint8Array; rest: CrlfToLfState } {
  if (chunk.length === 0) return { output: NO_BYTES, rest: state };
  // out[0] is room for the CR held from the last chunk: written unless this chunk starts with its LF.
  const out = new Uint8Array(chunk.length + 1);
  out.set(chunk, 1);
  const first = state.pendingCr && chunk[0] !== LF ? 0 : 1;
  if (first === 0) out[0] = CR;
  const end = out.length;
  let write = 1; // where the next kept byte goes
  let segment = 1; // first byte not yet kept
  let pendingCr = false;
  for (let cr = out.indexOf(CR, 1); cr >= 0; cr = out.indexOf(CR, cr + 1)) {
    if (cr === end - 1) {
      pendingCr = true; // hold it: its LF may start the next chunk
    } else if (out[cr + 1] !== LF) {
      continue; // a lone CR is data
    }
    // Keep [segment, cr), drop the CR.
    if (write !== segment) out.copyWithin(write, segment, cr);
    write += cr - segment;
    segment = cr + 1;
  }
  if (write !== segment) out.copyWithin(write, segment, end);
  write += end - segment;
  return { output: out.subarray(first, write), rest: { pendingCr } };
}

/** After the last chunk: the CR still held back, if any. */
export function crlfToLfEnd(state: CrlfToLfState): Uint8Array {
  return state.pendingCr ? JUST_CR.slice() : NO_BYTES;
}
