/**
 * Test helpers for the FTP protocol tests: cut bytes into chunks, and the
 * fast-check arbitraries shared by several files. Not a test file itself.
 */
import fc from 'fast-check';

/** Cut `bytes` at the given offsets (any order, out-of-range ones ignored). */
export function cutAt(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const cuts = [...new Set(offsets.filter((o) => o > 0 && o < bytes.length))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    chunks.push(bytes.slice(start, cut));
    start = cut;
  }
  return chunks;
}

/** Every single byte as its own chunk. */
export function byteByByte(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (b) => Uint8Array.of(b));
}

export const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
export const dec = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Join chunks back into one array. */
export function join(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Bytes that trouble protocol parsers: CR, LF, NUL, space, Telnet IAC/IP/DM, digits, separators, UTF-8 lead bytes. */
const NASTY = [0x0d, 0x0a, 0x00, 0x20, 0xff, 0xf4, 0xf2, 0x2d, 0x2c, 0x7c, 0x28, 0x29, 0x2e, 0x3a, 0x5c, 0x2f, 0x31, 0x32, 0x35, 0x39, 0xc3, 0xe2, 0x80];

/** Arbitrary bytes, half of them drawn from the troublesome ones above. */
export const nastyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.integer({ min: 0x20, max: 0x7e })), { maxLength: 200 }).map((a) => Uint8Array.from(a)),
);

/** Arbitrary text, including the characters of `nastyBytes` and whole Unicode. */
export const nastyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.string({ unit: fc.constantFrom('\r', '\n', '\0', ' ', '-', ',', '|', '(', ')', '.', ':', ';', '=', '/', '\\', '1', '2', '5', '9', 'a', 'x', 'é'), maxLength: 120 }),
);

/** Cut points for a byte array of up to a few hundred bytes. */
export const cutPoints = fc.array(fc.nat({ max: 400 }), { maxLength: 12 });
