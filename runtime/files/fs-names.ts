/**
 * File names as bytes (what the operating system keeps) and as text (what
 * machines and the trace hold), converted as Python does it on Linux
 * (os.fsdecode / os.fsencode, UTF-8 with "surrogateescape"):
 *
 *   bytes 63 61 66 C3 A9   "café"   valid UTF-8: decoded
 *   bytes 63 61 66 E9      "caf\uDCE9"   E9 alone is not UTF-8: one lone surrogate, U+DC00 + byte
 *
 * The round trip is exact, so no name is lost or changed, and the same
 * name reads the same here and in the lesson's Python scripts.
 *
 * Browser-safe (no `node:` import), though only the real folder needs it.
 */

/** The length of the UTF-8 sequence starting at `i`, or 0 if the bytes there are not valid UTF-8 (RFC 3629 section 4). */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < bytes.length && bytes[i + k]! >= lo && bytes[i + k]! <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  // ED A0..BF would encode a surrogate: not UTF-8.
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 >= 0xe1 && b0 <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A name's bytes as text: UTF-8, and each byte that is not, as U+DC00 + byte. */
export function fsDecode(bytes: Uint8Array): string {
  let out = '';
  let start = 0;
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += decoder.decode(bytes.subarray(start, i)) + String.fromCharCode(0xdc00 + bytes[i]!);
    i += 1;
    start = i;
  }
  return out + decoder.decode(bytes.subarray(start, i));
}

const encoder = new TextEncoder();

/** A name's text back to its bytes: the inverse of fsDecode. Throws RangeError for a lone surrogate outside U+DC80..U+DCFF. */
export function fsEncode(name: string): Uint8Array {
  const parts: number[] = [];
  let run = '';
  const flush = () => {
    if (run !== '') parts.push(...encoder.encode(run));
    run = '';
  };
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c >= 0xdc80 && c <= 0xdcff) {
      flush();
      parts.push(c - 0xdc00);
    } else if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) {
      // Any other lone surrogate stands for no byte at all (Python's fsencode refuses it too).
      throw new RangeError(`the name ${JSON.stringify(name)} holds a lone surrogate that stands for no byte`);
    } else {
      run += ch;
    }
  }
  flush();
  return Uint8Array.from(parts);
}
