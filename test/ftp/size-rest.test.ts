/**
 * Sizes and offsets are exact (bigint), up to INT64_MAX, and refused above it.
 * The real server output below was captured from vsftpd 3.0.3 and pyftpdlib
 * 1.5.7 serving sparse files made with `truncate -s 9007199254740993 huge.bin`
 * and `truncate -s 9223372036854775807 max.bin` (tmpfs allows both).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_BYTE_COUNT,
  formatRestArgument,
  formatRestReplyText,
  formatSizeReplyText,
  parseRestArgument,
  parseSizeReply,
} from '../../machines/ftp/protocol/index.ts';
import { nastyText } from './chunks.ts';

describe('MAX_BYTE_COUNT', () => {
  it('is INT64_MAX, the largest off_t, 2^63 - 1', () => {
    expect(MAX_BYTE_COUNT).toBe(9223372036854775807n);
    expect(MAX_BYTE_COUNT).toBe(2n ** 63n - 1n);
  });
});

describe('parseRestArgument (RFC 3659 §5.3: rest = "Rest" SP 1*DIGIT CRLF)', () => {
  it.each([
    { rfc: 'RFC 3659 §5.3, REST 0 (start again from the beginning)', argument: '0', offset: 0n },
    { rfc: 'RFC 3659 §5.3, pyftpdlib 1.5.7: "REST 9007199254740993" -> "350 Restarting at position 9007199254740993."', argument: '9007199254740993', offset: 9007199254740993n },
    { rfc: 'RFC 3659 §5.3, INT64_MAX, the largest offset a file can have', argument: '9223372036854775807', offset: 9223372036854775807n },
    { rfc: 'RFC 3659 §5.3 1*DIGIT, leading zeros (any number of them) are still the number', argument: `${'0'.repeat(40)}42`, offset: 42n },
    { rfc: 'RFC 959 §5.3.2, spaces around the number (pyftpdlib 1.5.7 accepts "REST  5" too): a number holds none', argument: ' 5 ', offset: 5n },
  ])('$rfc', ({ argument, offset }) => {
    expect(parseRestArgument(argument)).toEqual({ ok: true, value: offset });
  });

  it.each([
    {
      rfc: 'RFC 3659 §5.3, past INT64_MAX: refused (pyftpdlib 1.5.7 answers 350 to it; vsftpd 3.0.3 silently restarts at 0 for 16 digits or more)',
      argument: '9223372036854775808',
      code: 'BYTE_COUNT_TOO_LARGE',
      says: '9223372036854775807',
    },
    { rfc: 'RFC 3659 §5.3, a huge number', argument: '9'.repeat(5000), code: 'BYTE_COUNT_TOO_LARGE', says: 'digits' },
    { rfc: 'RFC 3659 §5.3 1*DIGIT, pyftpdlib 1.5.7: "REST -1" -> "501 Invalid parameter."', argument: '-1', code: 'BYTE_COUNT_NOT_A_NUMBER', says: 'negative' },
    { rfc: 'RFC 3659 §5.3 1*DIGIT, pyftpdlib 1.5.7: "REST 5x" -> "501 Invalid parameter."', argument: '5x', code: 'BYTE_COUNT_NOT_A_NUMBER', says: '"5x"' },
    { rfc: 'RFC 3659 §5.3 1*DIGIT, a sign is not a digit', argument: '+5', code: 'BYTE_COUNT_NOT_A_NUMBER', says: '"+5"' },
    { rfc: 'RFC 3659 §5.3 1*DIGIT, at least one digit', argument: '', code: 'BYTE_COUNT_NOT_A_NUMBER', says: 'REST' },
    { rfc: 'RFC 3659 §5.3 1*DIGIT, ASCII digits only (not "٣", an Arabic-Indic three)', argument: '٣', code: 'BYTE_COUNT_NOT_A_NUMBER', says: 'decimal' },
  ])('$rfc', ({ argument, code, says }) => {
    const parsed = parseRestArgument(argument);
    expect(!parsed.ok && parsed.error).toMatchObject({ code, reply: 501 });
    expect(!parsed.ok && parsed.error.message).toContain(says);
  });
});

describe('formatRestArgument / formatRestReplyText (RFC 3659 §5.3)', () => {
  it('RFC 3659 §5.3: the offset is written exactly, in the argument and in the 350 reply', () => {
    expect(formatRestArgument(9007199254740993n)).toBe('9007199254740993');
    expect(formatRestReplyText(9007199254740993n)).toContain('Restarting at 9007199254740993.');
  });

  it('RFC 3659 §5.3: an offset no file can have is a bug of the caller', () => {
    expect(() => formatRestArgument(MAX_BYTE_COUNT + 1n)).toThrow(RangeError);
    expect(() => formatRestReplyText(-1n)).toThrow(RangeError);
  });
});

describe('parseSizeReply / formatSizeReplyText (RFC 3659 §4.1: size-response = "213" SP 1*DIGIT CRLF)', () => {
  it.each([
    { rfc: 'RFC 3659 §4.1, vsftpd 3.0.3: "SIZE huge.bin" -> "213 9007199254740993"', text: '9007199254740993', size: 9007199254740993n },
    { rfc: 'RFC 3659 §4.1, pyftpdlib 1.5.7: "SIZE max.bin" -> "213 9223372036854775807"', text: '9223372036854775807', size: 9223372036854775807n },
    { rfc: 'RFC 3659 §4.1, an empty file', text: '0', size: 0n },
  ])('$rfc', ({ text, size }) => {
    expect(parseSizeReply(text)).toEqual({ ok: true, value: size });
  });

  it.each([
    { rfc: 'RFC 3659 §4.1, past INT64_MAX: no file is that big', text: '9223372036854775808', code: 'BYTE_COUNT_TOO_LARGE' },
    { rfc: 'RFC 3659 §4.1 1*DIGIT, text is not a size', text: 'about 4 MB', code: 'BYTE_COUNT_NOT_A_NUMBER' },
  ])('$rfc: refused, reply null (the client found it)', ({ text, code }) => {
    const parsed = parseSizeReply(text);
    expect(!parsed.ok && parsed.error).toMatchObject({ code, reply: null });
  });

  it('RFC 3659 §4.1: formats the exact size, and refuses one no file can have', () => {
    expect(formatSizeReplyText(9007199254740993n)).toBe('9007199254740993');
    expect(formatSizeReplyText(MAX_BYTE_COUNT)).toBe('9223372036854775807');
    expect(() => formatSizeReplyText(MAX_BYTE_COUNT + 1n)).toThrow(RangeError);
    expect(() => formatSizeReplyText(-1n)).toThrow(RangeError);
  });

  it('format then parse is the identity for every size 0..INT64_MAX (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_BYTE_COUNT }), (size) => {
        expect(parseSizeReply(formatSizeReplyText(size))).toEqual({ ok: true, value: size });
        expect(parseRestArgument(formatRestArgument(size))).toEqual({ ok: true, value: size });
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary text (property)', () => {
    fc.assert(
      fc.property(nastyText, (text) => {
        parseSizeReply(text);
        parseRestArgument(text);
      }),
      { numRuns: 1000 },
    );
  });
});
