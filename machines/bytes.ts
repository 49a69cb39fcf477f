/**
 * Byte helpers shared by every machine. Pure: no `node:` import, no Buffer.
 */

/** Join two byte arrays into a new one (neither input is changed). */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
