import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCommand, parseCommandLine } from '../../machines/ftp/protocol/index.ts';
import { enc, nastyBytes, nastyText } from './chunks.ts';

describe('parseCommandLine: good lines', () => {
  it.each([
    { rfc: 'RFC 959 §5.3.1 RETR <SP> <pathname> <CRLF>', line: 'RETR report.txt\r\n', verb: 'RETR', argument: 'report.txt' },
    { rfc: 'RFC 959 §5.3 "Upper and lower case alphabetic characters are to be treated identically"', line: 'rEtR report.txt', verb: 'RETR', argument: 'report.txt' },
    // RFC 3659 §2.2: "Exactly one space will precede the pathname and serve as a separator from the
    // preceding syntax element." vsftpd 3.0.3 and pyftpdlib 1.5.7 both split at the first space only.
    { rfc: 'RFC 3659 §2.2 "Exactly one space will precede the pathname": the other spaces are part of it', line: 'CWD    /pub', verb: 'CWD', argument: '   /pub' },
    { rfc: 'RFC 3659 §2.2, vsftpd 3.0.3 and pyftpdlib 1.5.7 store "STOR   leading spaces.txt" as "  leading spaces.txt"', line: 'STOR   leading spaces.txt\r\n', verb: 'STOR', argument: '  leading spaces.txt' },
    { rfc: 'RFC 3659 §2.2, vsftpd 3.0.3 and pyftpdlib 1.5.7 store "STOR trailing.txt  " as "trailing.txt  "', line: 'STOR trailing.txt  \r\n', verb: 'STOR', argument: 'trailing.txt  ' },
    { rfc: 'RFC 3659 §2.2, a name that is one space', line: 'MKD  \r\n', verb: 'MKD', argument: ' ' },
    { rfc: 'RFC 3659 §2.2 + RFC 959 §5.3.1 RNTO <SP> <pathname>: leading and trailing spaces both kept', line: 'RNTO  a b  \n', verb: 'RNTO', argument: ' a b  ' },
    { rfc: 'RFC 3659 §2.2 "Any trailing spaces preceding that CRLF form part of the name"', line: 'RETR name  \r\n', verb: 'RETR', argument: 'name  ' },
    { rfc: 'RFC 3659 §2.2, spaces inside a path are kept', line: 'STOR my  file.txt', verb: 'STOR', argument: 'my  file.txt' },
    { rfc: 'RFC 959 §5.3.1 NOOP <CRLF> (no argument)', line: 'NOOP\r\n', verb: 'NOOP', argument: '' },
    { rfc: 'RFC 959 §5.3.1 LIST [<SP> <pathname>]: verb and a lone space', line: 'LIST \r\n', verb: 'LIST', argument: '' },
    { rfc: 'RFC 959 §5.3, bare LF accepted as most servers do', line: 'PWD\n', verb: 'PWD', argument: '' },
    { rfc: 'RFC 2640 §2.2, UTF-8 path names', line: 'MKD Überweisungen 日本', verb: 'MKD', argument: 'Überweisungen 日本' },
    { rfc: 'RFC 2428 §2 EPRT<space><d>...', line: 'EPRT |2|::1|5282|', verb: 'EPRT', argument: '|2|::1|5282|' },
    { rfc: 'RFC 3659 §2.2 "retain and retransmit the identical pathname": a leading U+FEFF is kept', line: 'RETR \ufeffname', verb: 'RETR', argument: '\ufeffname' },
    { rfc: 'RFC 959 §5.3 "four or fewer alphabetic characters": a one-letter verb', line: 'X', verb: 'X', argument: '' },
  ])('$rfc', ({ line, verb, argument }) => {
    expect(parseCommandLine(line)).toEqual({ ok: true, value: { verb, argument, urgent: false } });
    expect(parseCommandLine(enc(line))).toEqual({ ok: true, value: { verb, argument, urgent: false } });
  });

  // RFC 959 §4.1.3: IP, then the Synch, then the command. The rows are the bytes a server reads.
  it.each([
    { rfc: 'RFC 959 §4.1.3, IAC IP IAC DM ABOR: either form, with the urgent byte read inline', bytes: [0xff, 0xf4, 0xff, 0xf2, ...enc('ABOR\r\n')], verb: 'ABOR' },
    { rfc: 'RFC 959 §4.1.3 + RFC 854, the Synch\'s DM sent urgent and dropped: IAC IP IAC ABOR', bytes: [0xff, 0xf4, 0xff, ...enc('ABOR')], verb: 'ABOR' },
    { rfc: 'RFC 959 §4.1.3, netkit/inetutils/tnftp send IAC urgent then DM ABOR; Linux drops the IAC', bytes: [0xff, 0xf4, 0xf2, ...enc('ABOR\r\n')], verb: 'ABOR' },
    { rfc: 'RFC 959 §4.1.3, the BSD form without its IAC IP (taken out of band)', bytes: [0xf2, ...enc('ABOR\r\n')], verb: 'ABOR' },
    { rfc: 'RFC 959 §4.1.3 STAT during a transfer, BSD form as Linux delivers it', bytes: [0xff, 0xf4, 0xf2, ...enc('STAT\r\n')], verb: 'STAT' },
    { rfc: 'RFC 959 §4.1.3 (pyftpdlib rule): non-ASCII junk before ABOR', bytes: [0xf2, 0xf2, ...enc('ABOR\r\n')], verb: 'ABOR' },
    { rfc: 'RFC 959 §4.1.3 (pyftpdlib rule): non-ASCII junk before QUIT, lower case', bytes: [0xfe, 0x80, ...enc('quit')], verb: 'QUIT' },
    { rfc: 'RFC 959 §4.1.3 (pyftpdlib rule): non-ASCII junk before STAT with an argument', bytes: [0xc3, ...enc('STAT /pub')], verb: 'STAT', argument: '/pub' },
    { rfc: 'RFC 959 §4.1.3 + RFC 3659 §2.2: an urgent STAT keeps the spaces of its argument after the first', bytes: [0xff, 0xf4, 0xf2, ...enc('STAT   two.txt \r\n')], verb: 'STAT', argument: '  two.txt ' },
  ])('$rfc: an urgent $verb', ({ bytes, verb, argument }) => {
    expect(parseCommandLine(Uint8Array.from(bytes))).toEqual({ ok: true, value: { verb, argument: argument ?? '', urgent: true } });
  });
});

describe('parseCommandLine: bad lines get an error value with the reply to send', () => {
  it.each([
    { rfc: 'RFC 959 §5.3, an empty line has no command code', line: '\r\n', code: 'EMPTY_COMMAND', reply: 500 },
    { rfc: 'RFC 959 §5.3, Telnet signals and nothing else', line: Uint8Array.of(0xff, 0xf4, 0x0d, 0x0a), code: 'EMPTY_COMMAND', reply: 500 },
    { rfc: 'RFC 959 §5.3.2 <char> excludes NUL-cut strings: NUL in the argument', line: 'RETR a\0b', code: 'NUL_IN_COMMAND', reply: 500 },
    { rfc: 'RFC 959 §5.3.2 <char> excludes NUL-cut strings: NUL in the verb', line: 'RE\0TR a', code: 'NUL_IN_COMMAND', reply: 500 },
    { rfc: 'RFC 959 §5.3.2 "<char> ::= any of the 128 ASCII characters except <CR> and <LF>"', line: 'RETR a\rDELE b', code: 'CR_IN_COMMAND', reply: 500 },
    { rfc: 'RFC 959 §5.3.2, LF inside a line given whole', line: 'RETR a\nDELE b', code: 'CR_IN_COMMAND', reply: 500 },
    { rfc: 'RFC 959 §5.3.2, only the CRLF ends the line: a CR before it is inside the argument', line: 'RETR a\r\r\n', code: 'CR_IN_COMMAND', reply: 500 },
    { rfc: 'RFC 959 §5.3.2, only the CRLF ends the line: a lone CR at the end is inside it', line: 'RETR a\r', code: 'CR_IN_COMMAND', reply: 500 },
    { rfc: 'RFC 959 §5.3 "four or fewer alphabetic characters": five letters', line: 'HELLO', code: 'BAD_VERB', reply: 500 },
    { rfc: 'RFC 959 §5.3, digits are not a command code', line: '123 abc', code: 'BAD_VERB', reply: 500 },
    { rfc: 'RFC 959 §5.3, the command code starts the line', line: ' NOOP', code: 'BAD_VERB', reply: 500 },
    { rfc: 'RFC 959 §5.3, a tab does not separate verb and argument', line: 'CWD\t/pub', code: 'BAD_VERB', reply: 500 },
    { rfc: 'RFC 959 §5.3, ASCII before ABOR is not Telnet junk: "XABOR" is five letters', line: 'XABOR', code: 'BAD_VERB', reply: 500 },
    { rfc: 'RFC 959 §4.1.3, only ABOR, STAT and QUIT are urgent: junk before RETR', line: Uint8Array.of(0xf2, 0xf2, ...enc('RETR x')), code: 'BAD_VERB', reply: 500 },
    { rfc: 'RFC 2640 §2.2, path names are UTF-8: a lone Latin-1 byte', line: Uint8Array.of(...enc('RETR caf'), 0xe9), code: 'NOT_UTF8', reply: 501 },
  ])('$rfc', ({ line, code, reply }) => {
    const parsed = parseCommandLine(line);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error).toMatchObject({ code, reply });
      expect(parsed.error.message.length).toBeGreaterThan(20);
    }
  });

  it('never throws on arbitrary bytes or text; every error carries 500 or 501 (property)', () => {
    fc.assert(
      fc.property(fc.oneof(nastyBytes, nastyText), (line) => {
        const parsed = parseCommandLine(line);
        if (!parsed.ok) expect([500, 501]).toContain(parsed.error.reply);
        else expect(parsed.value.verb).toMatch(/^[A-Z]{1,4}$/);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('formatCommand', () => {
  it.each([
    { rfc: 'RFC 959 §5.3.1 RETR <SP> <pathname> <CRLF>', verb: 'retr', argument: 'a b.txt', line: 'RETR a b.txt\r\n' },
    { rfc: 'RFC 959 §5.3.1 PWD <CRLF>', verb: 'PWD', argument: '', line: 'PWD\r\n' },
  ])('$rfc', ({ verb, argument, line }) => {
    expect(formatCommand(verb, argument)).toEqual({ ok: true, value: line });
  });

  it.each([
    { rfc: 'RFC 959 §5.3.2, a CRLF in the argument would smuggle a second command', argument: 'a.txt\r\nDELE b.txt', code: 'CR_IN_COMMAND' },
    { rfc: 'RFC 959 §5.3.2, NUL in the argument', argument: 'a\0b', code: 'NUL_IN_COMMAND' },
  ])('$rfc', ({ argument, code }) => {
    const out = formatCommand('RETR', argument);
    expect(!out.ok && out.error).toMatchObject({ code, reply: null });
  });

  it('refuses a verb that is not 1 to 4 letters (RFC 959 §5.3)', () => {
    const out = formatCommand('RETRIEVE', 'x');
    expect(!out.ok && out.error.code).toBe('BAD_VERB');
  });

  it('format then parse gives back the verb and argument (property)', () => {
    const verb = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'), minLength: 1, maxLength: 4 });
    // Any argument, leading and trailing spaces included (RFC 3659 §2.2): one space separates it from the verb.
    const argument = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: fc.constantFrom(' ', 'a', 'é'), maxLength: 8 })).filter((a) => !/[\r\n\0]/.test(a));
    fc.assert(
      fc.property(verb, argument, (v, a) => {
        const line = formatCommand(v, a);
        expect(line.ok).toBe(true);
        if (line.ok) expect(parseCommandLine(line.value)).toEqual({ ok: true, value: { verb: v.toUpperCase(), argument: a, urgent: false } });
      }),
      { numRuns: 500 },
    );
  });
});
