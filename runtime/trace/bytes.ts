/**
 * Base64 for trace records, without Buffer so that the browser can use it.
 * Table-driven: a 10 MB transfer is encoded twice (send and recv), so this
 * sits on the hot path of the simulated network's benchmark.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENCODE = Array.from(ALPHABET);
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Pairs of base64 digits for 12 bits at once: halves the table look-ups. */
const PAIRS: string[] = [];
for (const a of ENCODE) for (const b of ENCODE) PAIRS.push(a + b);

export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const full = bytes.length - (bytes.length % 3);
  // Build in slices: one giant string concatenation per byte would be quadratic in some engines.
  const SLICE = 3 * 4096;
  for (let start = 0; start < full; start += SLICE) {
    const end = Math.min(start + SLICE, full);
    let out = '';
    for (let i = start; i < end; i += 3) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
      out += PAIRS[n >>> 12]! + PAIRS[n & 0xfff]!;
    }
    parts.push(out);
  }
  const rest = bytes.length - full;
  if (rest === 1) {
    const n = bytes[full]! << 16;
    parts.push(ENCODE[n >>> 18]! + ENCODE[(n >>> 12) & 63]! + '==');
  } else if (rest === 2) {
    const n = (bytes[full]! << 16) | (bytes[full + 1]! << 8);
    parts.push(ENCODE[n >>> 18]! + ENCODE[(n >>> 12) & 63]! + ENCODE[(n >>> 6) & 63]! + '=');
  }
  return parts.join('');
}

export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  if (clean.length % 4 === 1) throw new Error('invalid base64: wrong length');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    const v = c < 128 ? DECODE[c]! : -1;
    if (v < 0) throw new Error(`invalid base64: character ${JSON.stringify(clean[i])} at ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  return out;
}

/** Join byte chunks into one array. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const c of chunks) length += c.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
