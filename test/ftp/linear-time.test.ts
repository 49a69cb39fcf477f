/**
 * Every parser of the FTP core takes time linear in its input: a peer
 * controls the input, and a quadratic parser lets one long line stall the
 * program (parseEpsvReply took 2.6 s on 1 MiB of "(a" and one ")").
 *
 * Each row builds a 1 MiB input shaped against the patterns that go
 * quadratic: a regular expression that backtracks over a long run, a search
 * (indexOf) restarted from every position, a buffer copied whole for every
 * chunk. The bound is one second; measured on the 2-core development
 * machine, every row takes under 250 ms (most under 50 ms).
 *
 * Streams fed one byte per read are timed differently: a million calls cost
 * about half a second whatever the parser does, so those rows compare the
 * same number of reads with long lines and with short ones. A parser that
 * copies its pending line on every read is slower in proportion to the
 * line length (4x at 4 KiB before the fix); a linear one is not.
 */
import { describe, expect, it } from 'vitest';
import {
  CRLF_TO_LF_START,
  LINE_SPLITTER_START,
  REPLY_PARSER_START,
  crlfToLf,
  ipv4Problem,
  ipv6Problem,
  lfToCrlf,
  parseCommandLine,
  parseDosListLine,
  parseEprtArgument,
  parseEpsvArgument,
  parseEpsvReply,
  parseListing,
  parseMlsdLine,
  parseMlsdTime,
  parseMlstLine,
  parsePasvReply,
  parsePathnameReply,
  parsePortArgument,
  parseReplies,
  parseRestArgument,
  parseSizeReply,
  parseUnixListLine,
  resolveJailedPath,
  splitLines,
} from '../../machines/ftp/protocol/index.ts';
import { enc } from './chunks.ts';

const MiB = 1 << 20;
const BOUND_MS = 1000;

/** `head`, then `unit` repeated, then `tail`: `size` characters in all (the repeat is cut to fit). */
function text(size: number, unit: string, head = '', tail = ''): string {
  const body = size - head.length - tail.length;
  return head + unit.repeat(Math.ceil(body / unit.length)).slice(0, body) + tail;
}

/** `size` bytes alternating `a` and `b`. */
function pairs(size: number, a: number, b: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (i % 2 === 0 ? a : b));
}

const IAC = 0xff;

interface Row {
  readonly parser: string;
  readonly shape: string;
  /** Build the input of `size` units, and return the call to time. */
  readonly build: (size: number) => () => unknown;
}

const ROWS: Row[] = [
  { parser: 'parseEpsvReply', shape: '"(a" repeated, one ")" at the end (issue 9)', build: (n) => ((t) => () => parseEpsvReply(t))(text(n, '(a', '', ')')) },
  { parser: 'parseEpsvReply', shape: '"(||" repeated, one ")"', build: (n) => ((t) => () => parseEpsvReply(t))(text(n, '(||', '', ')')) },
  { parser: 'parseEpsvReply', shape: '"(|||" then digits, no ")"', build: (n) => ((t) => () => parseEpsvReply(t))(text(n, '1', '(|||')) },
  { parser: 'parsePasvReply', shape: 'one run of digits', build: (n) => ((t) => () => parsePasvReply(t))(text(n, '1')) },
  { parser: 'parsePasvReply', shape: '"1," repeated (too many numbers)', build: (n) => ((t) => () => parsePasvReply(t))(text(n, '1,')) },
  { parser: 'parsePasvReply', shape: '"1 ," repeated', build: (n) => ((t) => () => parsePasvReply(t))(text(n, '1 ,')) },
  { parser: 'parsePasvReply', shape: 'five numbers, then spaces', build: (n) => ((t) => () => parsePasvReply(t))(text(n, ' ', '1,2,3,4,5')) },
  { parser: 'parsePasvReply', shape: '"1,1,1,1,1 " repeated', build: (n) => ((t) => () => parsePasvReply(t))(text(n, '1,1,1,1,1 ')) },
  { parser: 'parsePortArgument', shape: '"1," repeated', build: (n) => ((t) => () => parsePortArgument(t))(text(n, '1,')) },
  { parser: 'parsePortArgument', shape: '"1." repeated (wrong separator)', build: (n) => ((t) => () => parsePortArgument(t))(text(n, '1.')) },
  { parser: 'parseEprtArgument', shape: 'delimiters only', build: (n) => ((t) => () => parseEprtArgument(t))(text(n, '|')) },
  { parser: 'parseEprtArgument', shape: 'an IPv6 address of "1:" repeated', build: (n) => ((t) => () => parseEprtArgument(t))(text(n, '1:', '|2|', '|21|')) },
  { parser: 'parseEprtArgument', shape: 'an IPv6 address of "::" repeated', build: (n) => ((t) => () => parseEprtArgument(t))(text(n, '::', '|2|', '|21|')) },
  { parser: 'parseEpsvArgument', shape: 'one run of digits', build: (n) => ((t) => () => parseEpsvArgument(t))(text(n, '1')) },
  { parser: 'ipv4Problem', shape: '"1." repeated', build: (n) => ((t) => () => ipv4Problem(t))(text(n, '1.')) },
  { parser: 'ipv6Problem', shape: '"1:" repeated, an IPv4 tail', build: (n) => ((t) => () => ipv6Problem(t))(text(n, '1:', '', '1.2.3.4')) },
  { parser: 'parsePathnameReply', shape: 'an open quote and no close', build: (n) => ((t) => () => parsePathnameReply(t))(text(n, 'a', '257 "')) },
  { parser: 'parsePathnameReply', shape: 'doubled quotes', build: (n) => ((t) => () => parsePathnameReply(t))(text(n, '""', '"')) },
  { parser: 'parseRestArgument', shape: 'one run of digits', build: (n) => ((t) => () => parseRestArgument(t))(text(n, '9')) },
  { parser: 'parseRestArgument', shape: 'leading zeros, then 5', build: (n) => ((t) => () => parseRestArgument(t))(text(n, '0', '', '5')) },
  { parser: 'parseSizeReply', shape: 'spaces around a digit', build: (n) => ((t) => () => parseSizeReply(t))(text(n, ' ', '', `7${' '.repeat(1000)}`)) },
  { parser: 'parseCommandLine', shape: 'a verb and 1 MiB of spaces', build: (n) => ((b) => () => parseCommandLine(b))(enc(text(n, ' ', 'RETR'))) },
  { parser: 'parseCommandLine', shape: 'Telnet IAC IP repeated', build: (n) => ((b) => () => parseCommandLine(b))(pairs(n, IAC, 0xf4)) },
  { parser: 'parseCommandLine', shape: 'Telnet IAC SB repeated (never closed)', build: (n) => ((b) => () => parseCommandLine(b))(pairs(n, IAC, 0xfa)) },
  { parser: 'splitLines', shape: '"ABOR" CR repeated, one read', build: (n) => ((b) => () => splitLines(LINE_SPLITTER_START, b))(enc(text(n, 'ABOR\r'))) },
  { parser: 'splitLines', shape: 'LF repeated (a million empty lines), one read', build: (n) => ((b) => () => splitLines(LINE_SPLITTER_START, b))(enc(text(n, '\n'))) },
  { parser: 'parseReplies', shape: 'a multi-line reply that never ends', build: (n) => ((b) => () => parseReplies(REPLY_PARSER_START, b))(enc(text(n, 'x\r\n', '211-\r\n'))) },
  { parser: 'parseReplies', shape: 'lines with no reply code', build: (n) => ((b) => () => parseReplies(REPLY_PARSER_START, b))(enc(text(n, 'x\r\n'))) },
  { parser: 'parseReplies', shape: 'one line of 1 MiB', build: (n) => ((b) => () => parseReplies(REPLY_PARSER_START, b))(enc(text(n, 'x', '211-'))) },
  { parser: 'parseUnixListLine', shape: 'permissions, then "a " repeated', build: (n) => ((t) => () => parseUnixListLine(t))(text(n, 'a ', '-rw-r--r-- 1 ')) },
  { parser: 'parseUnixListLine', shape: 'permissions, then "1 Jan 1 " repeated (a date without a name, over and over)', build: (n) => ((t) => () => parseUnixListLine(t))(text(n, '1 Jan 1 ', '-rw-r--r-- 1 ')) },
  { parser: 'parseUnixListLine', shape: 'permissions, then "1, " repeated (device numbers)', build: (n) => ((t) => () => parseUnixListLine(t))(text(n, '1, ', '-rw-r--r-- 1 ')) },
  { parser: 'parseUnixListLine', shape: 'a size of 1 MiB of digits', build: (n) => ((t) => () => parseUnixListLine(t))(text(n, '9', '-rw-r--r-- 1 a b ', ' Jan 1 2020 x')) },
  { parser: 'parseDosListLine', shape: 'spaces after the time', build: (n) => ((t) => () => parseDosListLine(t))(text(n, ' ', '01-01-24  10:00AM')) },
  { parser: 'parseDosListLine', shape: 'digits after the time', build: (n) => ((t) => () => parseDosListLine(t))(text(n, '1', '01-01-24  10:00AM ')) },
  { parser: 'parseDosListLine', shape: 'spaces around AM', build: (n) => ((t) => () => parseDosListLine(t))(text(n, ' ', `01-01-24 10:00${' '.repeat(n >> 1)}AM`)) },
  { parser: 'parseListing', shape: 'Unix lines', build: (n) => ((t) => () => parseListing(t))(text(n, '-rw-r--r-- 1 a b 1 Jan 1 2020 f\r\n')) },
  { parser: 'parseListing', shape: 'MS-DOS lines (the date order decided first)', build: (n) => ((t) => () => parseListing(t))(text(n, '05-02-24  10:00AM                    1 f\r\n')) },
  { parser: 'parseListing', shape: 'blank lines', build: (n) => ((t) => () => parseListing(t))(text(n, ' \r\n')) },
  { parser: 'parseMlsdLine', shape: '";" repeated', build: (n) => ((t) => () => parseMlsdLine(t))(text(n, ';')) },
  { parser: 'parseMlsdLine', shape: '"a=b;" repeated', build: (n) => ((t) => () => parseMlsdLine(t))(text(n, 'a=b;', '', ' x')) },
  { parser: 'parseMlsdLine', shape: 'a size fact of 1 MiB of digits', build: (n) => ((t) => () => parseMlsdLine(t))(text(n, '1', 'size=', '; x')) },
  { parser: 'parseMlstLine', shape: 'a modify fact with a 1 MiB fraction', build: (n) => ((t) => () => parseMlstLine(t))(text(n, '1', ' modify=20240101000000.', '; x')) },
  { parser: 'parseMlsdTime', shape: 'a 1 MiB fraction', build: (n) => ((t) => () => parseMlsdTime(t))(text(n, '1', '20240101000000.')) },
  { parser: 'resolveJailedPath', shape: '"a/" repeated', build: (n) => ((t) => () => resolveJailedPath('/', t))(text(n, 'a/')) },
  { parser: 'resolveJailedPath', shape: '"../" repeated', build: (n) => ((t) => () => resolveJailedPath('/pub', t))(text(n, '../')) },
  { parser: 'resolveJailedPath', shape: 'dots and spaces', build: (n) => ((t) => () => resolveJailedPath('/', t))(text(n, '. ')) },
  { parser: 'crlfToLf', shape: 'CR repeated', build: (n) => ((b) => () => crlfToLf(CRLF_TO_LF_START, b))(enc(text(n, '\r'))) },
  { parser: 'lfToCrlf', shape: 'LF repeated', build: (n) => ((b) => () => lfToCrlf(b))(enc(text(n, '\n'))) },
];

describe('every parser is linear: 1 MiB of adversarial input in well under a second', () => {
  it.each(ROWS)('$parser: $shape', ({ build }) => {
    build(16 * 1024)(); // warm up: let the JIT compile the paths first
    const run = build(MiB);
    const started = performance.now();
    run();
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
  });
});

/** Milliseconds to feed `bytes` one byte per call. */
function perByte(bytes: Uint8Array, feed: (chunk: Uint8Array) => void): number {
  const started = performance.now();
  for (let i = 0; i < bytes.length; i++) feed(bytes.subarray(i, i + 1));
  return performance.now() - started;
}

describe('streams fed one byte per read: the cost does not grow with the length of a line', () => {
  const SIZE = 256 * 1024;

  it('splitLines: 4 KiB command lines cost no more per byte than 10-byte ones', () => {
    const time = (lineBytes: number) => {
      let state = LINE_SPLITTER_START;
      return perByte(enc(text(SIZE, `${'x'.repeat(lineBytes)}\n`)), (chunk) => void (state = splitLines(state, chunk).rest));
    };
    time(10); // warm up
    const short = time(10);
    const long = time(4095);
    expect(long).toBeLessThan(2 * short + 30);
  });

  it('parseReplies: 60 KB reply lines cost no more per byte than 10-byte ones', () => {
    const time = (lineBytes: number) => {
      let state = REPLY_PARSER_START;
      return perByte(enc(text(SIZE, `200 ${'x'.repeat(lineBytes)}\r\n`)), (chunk) => void (state = parseReplies(state, chunk).rest));
    };
    time(10); // warm up
    const short = time(10);
    const long = time(60_000);
    expect(long).toBeLessThan(2 * short + 30);
  });
});
