import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRLF_TO_LF_START, crlfToLf, crlfToLfEnd, lfToCrlf } from '../../machines/ftp/protocol/index.ts';
import { byteByByte, cutAt, cutPoints, dec, enc, join } from './chunks.ts';

/** Run crlfToLf over chunks, end included. */
function toLocal(chunks: readonly Uint8Array[]): Uint8Array {
  let state = CRLF_TO_LF_START;
  const out: Uint8Array[] = [];
  for (const chunk of chunks) {
    const step = crlfToLf(state, chunk);
    out.push(step.output);
    state = step.rest;
  }
  out.push(crlfToLfEnd(state));
  return join(out);
}

const toNetwork = (chunks: readonly Uint8Array[]) => join(chunks.map(lfToCrlf));

// RFC 959 §3.1.1.1: "In accordance with the NVT standard, the <CRLF> sequence should be used where necessary to denote the end of a line of text."
describe('TYPE A conversion', () => {
  it.each([
    { rfc: 'RFC 959 §3.1.1.1, LF becomes CRLF for sending', local: 'a\nb\n', network: 'a\r\nb\r\n' },
    { rfc: 'RFC 959 §3.1.1.1, text without line ends is unchanged', local: 'abc', network: 'abc' },
    { rfc: 'RFC 959 §3.1.1.1, empty lines', local: '\n\n', network: '\r\n\r\n' },
    { rfc: 'RFC 959 §3.1.1.1, a CR already before an LF is data: it stays, so the round trip is exact', local: 'a\r\nb', network: 'a\r\r\nb' },
    { rfc: 'RFC 959 §3.1.1.1, a lone CR is data', local: 'a\rb', network: 'a\rb' },
    { rfc: 'RFC 959 §3.1.1.1, a CR at the very end is data', local: 'a\r', network: 'a\r' },
  ])('$rfc', ({ local, network }) => {
    expect(dec(lfToCrlf(enc(local)))).toBe(network);
    expect(dec(toLocal([enc(network)]))).toBe(local);
  });

  it('RFC 959 §3.1.1.1: a CR and its LF in different chunks still make one line end', () => {
    const first = crlfToLf(CRLF_TO_LF_START, enc('line one\r'));
    expect(dec(first.output)).toBe('line one');
    expect(first.rest.pendingCr).toBe(true);
    const second = crlfToLf(first.rest, enc('\nline two\r\n'));
    expect(dec(second.output)).toBe('\nline two\n');
    expect(crlfToLfEnd(second.rest)).toHaveLength(0);
  });

  it('RFC 959 §3.1.1.1: a held CR followed by another CR is data', () => {
    expect(dec(toLocal([enc('a\r'), enc('\r\nb')]))).toBe('a\r\nb');
    expect(dec(toLocal([enc('a\r'), enc('b')]))).toBe('a\rb');
    expect(dec(toLocal([enc('a\r'), new Uint8Array(0), enc('\n')]))).toBe('a\n');
  });

  it('lfToCrlf returns the chunk itself when there is nothing to convert', () => {
    const chunk = enc('no line ends');
    expect(lfToCrlf(chunk)).toBe(chunk);
  });

  it('handles more line ends than its scratch space holds', () => {
    const many = enc('\n'.repeat(20_000));
    expect(lfToCrlf(many)).toEqual(enc('\r\n'.repeat(20_000)));
  });

  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.array(fc.constantFrom(0x0d, 0x0a, 0x61, 0x20), { maxLength: 300 }).map((a) => Uint8Array.from(a)),
  );

  it('gives the same output for any way of cutting the input into chunks, both ways (property)', () => {
    fc.assert(
      fc.property(bytes, cutPoints, (input, cuts) => {
        const wholeNet = lfToCrlf(input);
        expect(toNetwork(cutAt(input, cuts))).toEqual(wholeNet);
        expect(toNetwork(byteByByte(input))).toEqual(wholeNet);
        const wholeLocal = toLocal([input]);
        expect(toLocal(cutAt(input, cuts))).toEqual(wholeLocal);
        expect(toLocal(byteByByte(input))).toEqual(wholeLocal);
      }),
      { numRuns: 1000 },
    );
  });

  it('receiving undoes sending exactly, for any bytes (property)', () => {
    fc.assert(
      fc.property(bytes, cutPoints, (input, cuts) => {
        expect(toLocal(cutAt(lfToCrlf(input), cuts))).toEqual(input);
      }),
      { numRuns: 1000 },
    );
  });

  it('what is sent has no LF without a CR before it (property)', () => {
    fc.assert(
      fc.property(bytes, (input) => {
        const out = lfToCrlf(input);
        out.forEach((b, i) => {
          if (b === 0x0a) expect(out[i - 1]).toBe(0x0d);
        });
      }),
      { numRuns: 500 },
    );
  });
});
