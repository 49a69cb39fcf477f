import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LINE_SPLITTER_START, decodeUtf8Lenient, splitLines } from '../../machines/ftp/protocol/index.ts';
import type { LineSplitterState } from '../../machines/ftp/protocol/index.ts';
import { splitTextLines } from '../../machines/ftp/protocol/line-splitter.ts';
import { byteByByte, cutAt, cutPoints, dec, enc, nastyBytes } from './chunks.ts';

/** Feed chunks one by one; lines as text, errors as their code. */
function feed(chunks: readonly Uint8Array[], max?: number): { lines: string[]; rest: LineSplitterState } {
  let state = LINE_SPLITTER_START;
  const lines: string[] = [];
  for (const chunk of chunks) {
    const step = splitLines(state, chunk, max);
    lines.push(...step.lines.map((l) => (l.ok ? dec(l.value) : `!${l.error.code}`)));
    state = step.rest;
  }
  return { lines, rest: state };
}

describe('splitLines', () => {
  it.each([
    { rfc: 'RFC 959 §5.3 (CRLF ends a command)', input: ['USER anon\r\nPASS x\r\n'], lines: ['USER anon', 'PASS x'], pending: '' },
    { rfc: 'RFC 959 §5.3, bare LF accepted as most servers do', input: ['USER anon\nPASS x\n'], lines: ['USER anon', 'PASS x'], pending: '' },
    { rfc: 'RFC 959 §5.3 "the server is to take no action until the end of line code is received"', input: ['USER an', 'on\r\nPA', 'SS x\r\n'], lines: ['USER anon', 'PASS x'], pending: '' },
    { rfc: 'RFC 959 §5.3, CR and LF in separate reads', input: ['NOOP\r', '\nQUIT\r', '\n'], lines: ['NOOP', 'QUIT'], pending: '' },
    { rfc: 'RFC 959 §5.3, an unfinished line waits', input: ['NOOP\r\nLIS'], lines: ['NOOP'], pending: 'LIS' },
    { rfc: 'RFC 959 §5.3, an empty line is still a line', input: ['\r\n\n'], lines: ['', ''], pending: '' },
    { rfc: 'RFC 959 §5.3.2, a lone CR is not a line end', input: ['A\rB\r\n'], lines: ['A\rB'], pending: '' },
    { rfc: 'RFC 959 §4.2.1, a long line is refused (limit 10 here)', input: ['0123456789A\r\nNOOP\r\n'], lines: ['!LINE_TOO_LONG', 'NOOP'], pending: '', max: 10 },
    { rfc: 'RFC 959 §4.2.1, a line of exactly the limit passes (limit 10 here)', input: ['0123456789\r\n'], lines: ['0123456789'], pending: '', max: 10 },
    { rfc: 'RFC 2640 §2.2, a UTF-8 character cut between reads', input: [Uint8Array.of(0x52, 0xc3), Uint8Array.of(0xa9, 0x0d, 0x0a)], lines: ['Ré'], pending: '' },
    // Python ftplib's abort() sends "ABOR\r\n" with MSG_OOB: the LF is the urgent byte, and a
    // socket that does not read urgent data inline (Linux, Node) never sees it.
    { rfc: 'RFC 959 §4.1.3, ftplib ABOR whose LF went out of band: "ABOR\\r" is a line', input: ['ABOR\r'], lines: ['ABOR'], pending: '' },
    { rfc: 'RFC 959 §4.1.3, ftplib ABOR, lower case', input: ['abor\r'], lines: ['abor'], pending: '' },
    { rfc: 'RFC 959 §4.1.3, ftplib ABOR, then the next command in a later read', input: ['ABOR\r', 'QUIT\r\n'], lines: ['ABOR', 'QUIT'], pending: '' },
    { rfc: 'RFC 959 §4.1.3, ftplib ABOR and the next command in one read', input: ['ABOR\rQUIT\r\n'], lines: ['ABOR', 'QUIT'], pending: '' },
    { rfc: 'RFC 959 §5.3, "ABOR\\r" whose LF does arrive, in the next read: one line, no empty one', input: ['ABOR\r', '\n', 'NOOP\r\n'], lines: ['ABOR', 'NOOP'], pending: '' },
    { rfc: 'RFC 959 §5.3, "ABOR\\r" then a CRLF: the CRLF is an empty line, cut or not', input: ['ABOR\r\r\n'], lines: ['ABOR', ''], pending: '' },
    { rfc: 'RFC 959 §5.3.2, any other command waits for its LF', input: ['ABORT\r', 'RETR\r'], lines: [], pending: 'ABORT\rRETR\r' },
  ])('$rfc', ({ input, lines, pending, max }) => {
    const chunks = input.map((c) => (typeof c === 'string' ? enc(c) : c));
    const out = feed(chunks, max);
    expect(out.lines).toEqual(lines);
    expect(dec(out.rest.pending)).toBe(pending);
  });

  it('RFC 959 §4.1.3: an ftplib ABOR after Telnet IP and Synch is a line too, Telnet bytes kept for the command parser', () => {
    const { lines, rest } = splitLines(LINE_SPLITTER_START, Uint8Array.of(0xff, 0xf4, 0xff, 0xf2, ...enc('ABOR\r')));
    expect(lines.map((l) => l.ok && [...l.value])).toEqual([[0xff, 0xf4, 0xff, 0xf2, ...enc('ABOR')]]);
    expect(rest.pending).toHaveLength(0);
  });

  it('copies the unfinished tail, so the caller may reuse its read buffer', () => {
    const buffer = enc('NOOP\r\nLIS');
    const { rest } = splitLines(LINE_SPLITTER_START, buffer);
    buffer.fill(0);
    expect(dec(rest.pending)).toBe('LIS');
  });

  it('never changes the state passed in', () => {
    const state = splitLines(LINE_SPLITTER_START, enc('ab')).rest;
    splitLines(state, enc('c\r\n'));
    expect(dec(state.pending)).toBe('ab');
  });

  it('grows a pending line in place only behind the newest state: an older state passed again still means what it meant', () => {
    const a = splitLines(LINE_SPLITTER_START, enc('RETR lo')).rest;
    const b = splitLines(a, enc('ng')).rest; // copied into a buffer with room to grow
    const c1 = splitLines(b, enc('er')).rest; // written into that room, behind b
    const c2 = splitLines(b, enc('ish')).rest; // b again: must not write over c1's bytes
    expect([a, b, c1, c2].map((s) => dec(s.pending))).toEqual(['RETR lo', 'RETR long', 'RETR longer', 'RETR longish']);
    expect(splitLines(c1, enc('\r\n')).lines.map((l) => l.ok && dec(l.value))).toEqual(['RETR longer']);
  });

  it('gives the same lines however the stream is cut into chunks (property)', () => {
    fc.assert(
      fc.property(nastyBytes, cutPoints, (bytes, cuts) => {
        const whole = feed([bytes], 50);
        expect(feed(cutAt(bytes, cuts), 50)).toEqual(whole);
        expect(feed(byteByByte(bytes), 50)).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('RFC 959 §4.1.3: "ABOR" CR splits the same however the stream is cut (property)', () => {
    const token = fc.constantFrom('ABOR\r', 'abor\r', 'ABOR', '\r', '\n', '\r\n', 'QUIT', 'x'.repeat(30), '\xff\xf4', '\xf2');
    const stream = fc.array(token, { maxLength: 30 }).map((t) => Uint8Array.from(t.join(''), (c) => c.charCodeAt(0)));
    fc.assert(
      fc.property(stream, cutPoints, (bytes, cuts) => {
        const whole = feed([bytes], 50);
        expect(feed(cutAt(bytes, cuts), 50)).toEqual(whole);
        expect(feed(byteByByte(bytes), 50)).toEqual(whole);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(nastyBytes, cutPoints, (bytes, cuts) => {
        feed(cutAt(bytes, cuts), 20);
      }),
    );
  });
});

describe('splitTextLines', () => {
  function feedText(chunks: readonly Uint8Array[], max: number): string[] {
    let state = LINE_SPLITTER_START;
    const out: string[] = [];
    for (const chunk of chunks) {
      const step = splitTextLines(state, chunk, max, decodeUtf8Lenient);
      out.push(...step.lines.map((l) => (l.ok ? `${l.value.bytes}:${l.value.text}` : `!${l.error.code}:${l.head}`)));
      state = step.rest;
    }
    return out;
  }

  it('decodes each line and gives its length in bytes (RFC 2640 §2.2: UTF-8)', () => {
    expect(feedText([enc('211-Sí\r\n211 End\n')], 100)).toEqual(['7:211-Sí', '7:211 End']);
  });

  it('shows the first bytes of an overlong line, so a reply parser can tell "211-" from "211 "', () => {
    expect(feedText([enc(`211-${'x'.repeat(20)}\r\n211 End\r\n`)], 10)).toEqual(['!LINE_TOO_LONG:211-', '7:211 End']);
    expect(feedText([enc('211-'), enc('x'.repeat(20))], 10)).toEqual(['!LINE_TOO_LONG:211-']);
  });

  it('agrees with splitLines plus a per-line decode, for any bytes and cuts (property)', () => {
    fc.assert(
      fc.property(nastyBytes, cutPoints, (bytes, cuts) => {
        const chunks = cutAt(bytes, cuts);
        const perLine: string[] = [];
        let state = LINE_SPLITTER_START;
        for (const chunk of chunks) {
          const step = splitLines(state, chunk, 40);
          perLine.push(...step.lines.map((l) => (l.ok ? `${l.value.length}:${decodeUtf8Lenient(l.value)}` : `!${l.error.code}`)));
          state = step.rest;
        }
        const whole = feedText(chunks, 40).map((l) => (l.startsWith('!') ? l.slice(0, l.indexOf(':')) : l));
        expect(whole).toEqual(perLine);
      }),
      { numRuns: 300 },
    );
  });
});
