import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64, toBase64ViaBtoa } from '../../runtime/trace/bytes.ts';

describe('base64', () => {
  it.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foobar', 'Zm9vYmFy'],
    ['You are connected', 'WW91IGFyZSBjb25uZWN0ZWQ='],
  ])('encodes %j as %j (RFC 4648 section 10 vectors)', (text, encoded) => {
    expect(toBase64(new TextEncoder().encode(text))).toBe(encoded);
    expect(new TextDecoder().decode(fromBase64(encoded))).toBe(text);
  });

  it('agrees with Node for any bytes, and round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40_000 }), (bytes) => {
        const encoded = toBase64(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
        expect(toBase64ViaBtoa(bytes)).toBe(encoded);
        expect(fromBase64(encoded)).toEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });

  it.each(['Z===', 'Z', 'Zm9v!', 'Zé=='])('rejects malformed %j with a reason', (text) => {
    expect(() => fromBase64(text)).toThrow(/invalid base64/);
  });
});
