/**
 * IP addresses as text (what the trace holds) to the bytes a packet header
 * holds. Browser-safe.
 *
 *   '127.0.0.1'      → 7f 00 00 01
 *   '::1'            → 00 × 15, 01
 *   '::ffff:1.2.3.4' → 00 × 10, ff ff, 01 02 03 04
 */

/** The 4 bytes of a dotted-decimal IPv4 address, or null. */
export function ipv4Bytes(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    out[i] = Number(part);
  }
  return out;
}

/** The 16 bytes of an IPv6 address (RFC 4291 section 2.2 text forms, zone ids ignored), or null. */
export function ipv6Bytes(text: string): Uint8Array | null {
  const bare = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!bare.includes(':')) return null;
  const halves = bare.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string): number[] | null => {
    if (half === '') return [];
    const out: number[] = [];
    const words = half.split(':');
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      if (i === words.length - 1 && word.includes('.')) {
        // A trailing dotted IPv4 address fills the last two groups ('::ffff:1.2.3.4').
        const v4 = ipv4Bytes(word);
        if (v4 === null) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(word)) return null;
        out.push(parseInt(word, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** An IPv4 address written into IPv6 form (RFC 4291 section 2.5.5.2: ::ffff:a.b.c.d). */
export function ipv4MappedIpv6(v4: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  out.set(v4, 12);
  return out;
}
