import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_REPLY_BYTES, REPLY_PARSER_START, formatReply, parseReplies, parseReplyText, replyText } from '../../machines/ftp/protocol/index.ts';
import type { FtpReply, ReplyParserState, Result } from '../../machines/ftp/protocol/index.ts';
import { openReplyLines } from '../../machines/ftp/protocol/reply.ts';
import { byteByByte, cutAt, cutPoints, enc, nastyBytes } from './chunks.ts';

/** Feed chunks one by one and collect every reply. */
function feed(chunks: readonly Uint8Array[]): { replies: Result<FtpReply>[]; rest: ReplyParserState } {
  let state = REPLY_PARSER_START;
  const replies: Result<FtpReply>[] = [];
  for (const chunk of chunks) {
    const step = parseReplies(state, chunk);
    replies.push(...step.replies);
    state = step.rest;
  }
  return { replies, rest: state };
}

const ok = (code: number, ...lines: string[]) => ({ ok: true, value: { code, lines } });

describe('parseReplies: single-line and multi-line replies', () => {
  it.each([
    { rfc: 'RFC 959 §4.2 "the 3-digit code, followed by Space <SP>, followed by one line of text"', text: '220 Service ready\r\n', replies: [ok(220, 'Service ready')] },
    { rfc: 'RFC 959 §4.2, text is optional on a one-line reply', text: '200 \r\n', replies: [ok(200, '')] },
    { rfc: 'RFC 3659 §7.2 "250" [ SP response-message ] CRLF: a code alone', text: '200\r\n', replies: [ok(200, '')] },
    { rfc: 'RFC 959 §4.2, bare LF line ends as sent by some servers', text: '331 Password\n230 In\n', replies: [ok(331, 'Password'), ok(230, 'In')] },
    {
      rfc: 'RFC 959 §4.2, the example multi-line reply',
      text: '123-First line\r\nSecond line\r\n  234 A line beginning with numbers\r\n123 The last line\r\n',
      replies: [ok(123, 'First line', 'Second line', '  234 A line beginning with numbers', 'The last line')],
    },
    {
      rfc: 'RFC 2389 §3.2, a FEAT reply',
      text: '211-Extensions supported:\r\n MLST size*;create;modify*;perm;media-type\r\n SIZE\r\n MDTM\r\n211 END\r\n',
      replies: [ok(211, 'Extensions supported:', ' MLST size*;create;modify*;perm;media-type', ' SIZE', ' MDTM', 'END')],
    },
    { rfc: 'RFC 959 §4.2, only the SAME code followed by a space ends it', text: '211-a\r\n211-b\r\n212 c\r\n211 d\r\n', replies: [ok(211, 'a', '211-b', '212 c', 'd')] },
    { rfc: 'RFC 3659 §7.2, MLST: last line "250" without text', text: '250- Listing x\r\n type=file; x\r\n250\r\n', replies: [ok(250, ' Listing x', ' type=file; x', '')] },
    { rfc: 'RFC 959 §4.2, an empty middle line is part of the reply', text: '214-Help\r\n\r\n214 End\r\n', replies: [ok(214, 'Help', '', 'End')] },
    { rfc: 'RFC 959 §5.4, several replies in one read (125 then 226)', text: '150 Opening\r\n226 Done\r\n', replies: [ok(150, 'Opening'), ok(226, 'Done')] },
    { rfc: 'RFC 959 §4.2, a stray blank line between replies is skipped', text: '\r\n220 Hi\r\n', replies: [ok(220, 'Hi')] },
    { rfc: 'RFC 2640 §2.2, UTF-8 in the text', text: '257 "/Überweisungen" created\r\n', replies: [ok(257, '"/Überweisungen" created')] },
  ])('$rfc', ({ text, replies }) => {
    expect(parseReplyText(text).replies).toEqual(replies);
  });

  it('RFC 959 §4.2: an unfinished multi-line reply waits for its last line', () => {
    const first = parseReplyText('211-Features:\r\n MDTM\r\n SI');
    expect(first.replies).toEqual([]);
    const second = parseReplies(first.rest, enc('ZE\r\n211 End\r\n'));
    expect(second.replies).toEqual([ok(211, 'Features:', ' MDTM', ' SIZE', 'End')]);
    expect(second.rest).toEqual(REPLY_PARSER_START);
  });

  it('never changes the state passed in', () => {
    const first = parseReplyText('211-a\r\n b\r\n');
    parseReplies(first.rest, enc(' c\r\n211 d\r\n'));
    expect(openReplyLines(first.rest)).toEqual(['a', ' b']);
    // The same state continued twice, two different ways: neither sees the other's lines.
    const left = parseReplies(first.rest, enc(' left\r\n')).rest;
    const right = parseReplies(first.rest, enc(' right\r\n')).rest;
    expect(parseReplies(left, enc('211 z\r\n')).replies).toEqual([ok(211, 'a', ' b', ' left', 'z')]);
    expect(parseReplies(right, enc('211 z\r\n')).replies).toEqual([ok(211, 'a', ' b', ' right', 'z')]);
    expect(openReplyLines(first.rest)).toEqual(['a', ' b']);
  });

  it('RFC 959 §4.2: a long reply fed one line per chunk costs time in proportion to its lines, not their square', () => {
    // 32,000 empty middle lines: about as many as fit in MAX_REPLY_BYTES (each counts 2 bytes for CRLF).
    // Copying the lines so far on every chunk took 7.4 s here; 50,000 lines would not fit under the cap.
    const count = 32_000;
    const middle = enc('\r\n');
    const started = performance.now();
    let state = parseReplies(REPLY_PARSER_START, enc('211-Start\r\n')).rest;
    for (let i = 0; i < count; i++) state = parseReplies(state, middle).rest;
    const { replies } = parseReplies(state, enc('211 End\r\n'));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(replies).toHaveLength(1);
    const reply = replies[0]!;
    expect(reply.ok && reply.value.lines.length).toBe(count + 2);
    expect(reply.ok && [reply.value.lines[0], reply.value.lines[count + 1]]).toEqual(['Start', 'End']);
  });

  it('RFC 2640 / decision in text.ts: bytes that are not UTF-8 become U+FFFD and the reply is kept', () => {
    const out = parseReplies(REPLY_PARSER_START, Uint8Array.of(...enc('550 caf'), 0xe9, 0x0d, 0x0a));
    expect(out.replies).toEqual([ok(550, 'caf\ufffd')]);
  });
});

describe('parseReplies: malformed replies become error values and parsing goes on', () => {
  it.each([
    { rfc: 'RFC 959 §4.2, a reply starts with three digits', text: 'hello\r\n220 Hi\r\n' },
    { rfc: 'RFC 959 §4.2 "1yz".."5yz": the first digit is 1 to 5', text: '620 Six\r\n220 Hi\r\n' },
    { rfc: 'RFC 959 §4.2, the code is followed by a space or a hyphen', text: '2200 Hi\r\n220 Hi\r\n' },
    { rfc: 'RFC 959 §4.2, a code of three digits, not two', text: '22 Hi\r\n220 Hi\r\n' },
  ])('$rfc', ({ text }) => {
    const { replies } = parseReplyText(text);
    expect(replies).toHaveLength(2);
    expect(!replies[0]!.ok && replies[0]!.error).toMatchObject({ code: 'MALFORMED_REPLY', reply: null });
    expect(replies[1]).toEqual(ok(220, 'Hi'));
  });
});

describe('parseReplies: an overlong line ends the reply it closes (RFC 959 §4.2)', () => {
  // RFC 959 §4.2: "The last line will begin with the same code, followed immediately by Space <SP>".
  // A last line past MAX_REPLY_BYTES is still the last line: what follows it is the next reply.
  const wire = enc(`211-Status\r\n some\r\n211 ${'x'.repeat(70_000)}\r\n226 Transfer complete\r\n150 Opening\r\n`);
  const expected = [
    { ok: false, code: 'REPLY_TOO_LONG' },
    { ok: true, code: 226 },
    { ok: true, code: 150 },
  ];
  const summary = (replies: Result<FtpReply>[]) => replies.map((r) => (r.ok ? { ok: true, code: r.value.code } : { ok: false, code: r.error.code }));

  it('RFC 959 §4.2, the overlong last line arrives whole: 226 and 150 follow the error', () => {
    const out = feed([wire]);
    expect(summary(out.replies)).toEqual(expected);
    expect(out.rest.open).toBeNull();
  });

  it.each([
    { cuts: [19], how: 'cut right before the last line' },
    { cuts: [20, 22], how: 'cut inside "211 ", before the code is whole' },
    { cuts: [40, 70_000], how: 'cut inside the overlong line, so it overflows while still unfinished' },
    { cuts: Array.from({ length: 80 }, (_, i) => i * 1000 + 7), how: 'cut every 1000 bytes' },
  ])('RFC 959 §4.2, the same in chunks: $how', ({ cuts }) => {
    const out = feed(cutAt(wire, cuts));
    expect(summary(out.replies)).toEqual(expected);
    expect(out.rest.open).toBeNull();
  });

  it('RFC 959 §4.2, an overlong MIDDLE line (starting with the code and "-") does not end the reply', () => {
    const middle = enc(`211-Status\r\n211-${'x'.repeat(MAX_REPLY_BYTES)}\r\n226 not a reply\r\n211 End\r\n150 Opening\r\n`);
    expect(summary(feed([middle]).replies)).toEqual([{ ok: false, code: 'REPLY_TOO_LONG' }, { ok: true, code: 150 }]);
  });
});

describe('formatReply', () => {
  it.each([
    { rfc: 'RFC 959 §4.2, one line', code: 200, text: 'Command okay.' as string | string[], wire: '200 Command okay.\r\n' },
    { rfc: 'RFC 2389 §3.2, FEAT as lines', code: 211, text: ['Features:', ' MDTM', ' SIZE', 'End'], wire: '211-Features:\r\n MDTM\r\n SIZE\r\n211 End\r\n' },
    { rfc: 'RFC 959 §4.2, a string with line breaks becomes a multi-line reply', code: 214, text: 'Help\nmore\nEnd', wire: '214-Help\r\nmore\r\n214 End\r\n' },
    { rfc: 'RFC 959 §4.2 "If an intermediary line begins with a 3-digit number, the Server must pad the front"', code: 211, text: ['a', '211 b', '300c', 'd'], wire: '211-a\r\n 211 b\r\n 300c\r\n211 d\r\n' },
    { rfc: 'RFC 959 §4.2, a CRLF inside the text cannot end the reply early', code: 550, text: 'a\r\n226 fake', wire: '550-a\r\n550 226 fake\r\n' },
  ])('$rfc', ({ code, text, wire }) => {
    expect(formatReply(code, text)).toBe(wire);
  });

  it('throws RangeError for a code outside 100..599 (a bug in the caller, not wire input)', () => {
    expect(() => formatReply(99, 'x')).toThrow(RangeError);
    expect(() => formatReply(600, 'x')).toThrow(RangeError);
    expect(() => formatReply(200.5, 'x')).toThrow(RangeError);
  });

  it('replyText joins the lines', () => {
    expect(replyText({ code: 211, lines: ['a', 'b'] })).toBe('a\nb');
  });
});

describe('properties', () => {
  const line = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((l) => !/[\r\n]/.test(l));
  const middle = line.filter((l) => !/^\d{3}/.test(l));
  const reply = fc.oneof(
    fc.record({ code: fc.integer({ min: 100, max: 599 }), lines: fc.tuple(line).map((l) => [...l]) }),
    fc.record({
      code: fc.integer({ min: 100, max: 599 }),
      lines: fc.tuple(line, fc.array(middle, { maxLength: 5 }), line).map(([a, m, z]) => [a, ...m, z]),
    }),
  );

  it('format then parse is the identity for replies, however the bytes are cut (RFC 959 §4.2)', () => {
    fc.assert(
      fc.property(fc.array(reply, { minLength: 1, maxLength: 4 }), cutPoints, (replies, cuts) => {
        const wire = enc(replies.map((r) => formatReply(r.code, r.lines)).join(''));
        const expected = replies.map((r) => ({ ok: true, value: r }));
        expect(feed([wire]).replies).toEqual(expected);
        expect(feed(cutAt(wire, cuts)).replies).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('parsing byte by byte gives what parsing all at once gives, for arbitrary bytes', () => {
    fc.assert(
      fc.property(nastyBytes, (bytes) => {
        expect(feed(byteByByte(bytes))).toEqual(feed([bytes]));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary bytes; errors carry reply null (found by the client)', () => {
    fc.assert(
      fc.property(nastyBytes, cutPoints, (bytes, cuts) => {
        for (const r of feed(cutAt(bytes, cuts)).replies) if (!r.ok) expect(r.error.reply).toBeNull();
      }),
      { numRuns: 1000 },
    );
  });
});
