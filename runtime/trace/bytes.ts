/**
 * Base64 for trace records. Browser-safe: it uses whatever fast native
 * encoder the platform has, and never requires Buffer. A 10 MB transfer is
 * encoded twice (send and recv), so encoding sits on the hot path of the
 * simulated network; decoding does not, and validates strictly instead.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Bytes per String.fromCharCode call: below engines' argument-count limits. */
const CHARS_PER_CALL = 0x2000;

type NativeEncoder = (bytes: Uint8Array) => string;

/** The fastest encoder available: the new `Uint8Array#toBase64`, Node's Buffer, or `btoa`. */
function pickEncoder(): NativeEncoder {
  const proto = Uint8Array.prototype as { toBase64?: () => string };
  if (typeof proto.toBase64 === 'function') return (bytes) => (bytes as unknown as { toBase64(): string }).toBase64();
  const NodeBuffer = (globalThis as { Buffer?: { from(b: ArrayBufferLike, o: number, l: number): { toString(e: string): string } } }).Buffer;
  if (NodeBuffer !== undefined) return (bytes) => NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
  return toBase64ViaBtoa;
}

/** The portable fallback, exported so that tests cover it on Node too. */
export function toBase64ViaBtoa(bytes: Uint8Array): string {
  // btoa takes a "binary string": one character per byte.
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHARS_PER_CALL) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHARS_PER_CALL) as unknown as number[]);
  }
  return btoa(binary);
}

const encode = pickEncoder();

export function toBase64(bytes: Uint8Array): string {
  return encode(bytes);
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
