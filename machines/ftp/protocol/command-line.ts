/**
 * One FTP command line: parse it (server side) and format it (client side).
 *
 * RFC 959 section 5.3:
 *   "The commands begin with a command code followed by an argument field.
 *    The command codes are four or fewer alphabetic characters. Upper and
 *    lower case alphabetic characters are to be treated identically."
 *
 *   S T O R ␠ ␠ ␠ l e a d i n g ␠ s p a c e s . t x t CR LF
 *   └ verb ┘ │ └──────────── argument ──────────────┘ └ end ┘
 *            └ the one separator
 *
 * Exactly one space separates the verb from its argument; every other byte
 * up to the CRLF is the argument. RFC 959's prose allows "one or more
 * spaces", but its grammar (section 5.3.2) writes one <SP>, and RFC 3659
 * section 2.2 settles it for path names: "the pathname is terminated by the
 * CRLF that terminates the FTP command [...]. Any trailing spaces preceding
 * that CRLF form part of the name. Exactly one space will precede the
 * pathname and serve as a separator from the preceding syntax element."
 * vsftpd 3.0.3 and pyftpdlib 1.5.7 agree: "STOR   leading spaces.txt" stores
 * a file named "  leading spaces.txt", and "STOR trailing.txt  " one named
 * "trailing.txt  ". Skipping the extra spaces would make a server store,
 * delete or rename a different file than the client named. Commands whose
 * argument is a number or an address (REST, PORT, EPRT, EPSV) allow spaces
 * around it in their own parsers, where no name can be hurt.
 *
 * Browser-safe: no `node:` import.
 */
import { fail } from './errors.ts';
import type { Result } from './errors.ts';
import { MAX_COMMAND_LINE_BYTES } from './limits.ts';
import { stripTelnet } from './telnet.ts';
import { CR, LF, NUL, SPACE, decodeUtf8Strict, encodeUtf8 } from './text.ts';

/** RFC 959 section 5.3: "four or fewer alphabetic characters". */
const MAX_VERB_LETTERS = 4;

export interface FtpCommand {
  /** The command code in upper case: 'RETR'. */
  readonly verb: string;
  /**
   * Everything after the one space that follows the verb, up to the CRLF;
   * '' when there is none. Leading and trailing spaces are part of it (RFC
   * 3659 section 2.2, see the module comment).
   */
  readonly argument: string;
  /**
   * The line carried the Telnet IP/Synch signals (RFC 959 section 4.1.3):
   * the client wants attention now, typically for ABOR during a transfer.
   */
  readonly urgent: boolean;
}

function isLetter(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

/** The commands RFC 959 section 4.1.3 names as sent during a transfer, after IP and Synch. */
const URGENT_VERBS = ['ABOR', 'STAT', 'QUIT'];

/**
 * The urgent verb at the end of `verb` when only non-ASCII bytes precede
 * it, else null. Clients mangle the IP/Synch in more ways than telnet.ts
 * knows; pyftpdlib, for the same reason, accepts a command code whose last
 * 4 characters are ABOR, STAT or QUIT ("since many ftp clients don't do it
 * correctly we check the last 4 characters only"). We ask that the junk be
 * non-ASCII, as Telnet command bytes are, so "XQUIT" is still not a command.
 */
function urgentVerbAfterJunk(verb: Uint8Array): string | null {
  const junk = verb.length - MAX_VERB_LETTERS;
  if (junk < 1 || !verb.subarray(junk).every(isLetter) || !verb.subarray(0, junk).every((b) => b >= 0x80)) return null;
  const word = String.fromCharCode(...verb.subarray(junk)).toUpperCase();
  return URGENT_VERBS.includes(word) ? word : null;
}

/**
 * Parse one command line, given without or with its CRLF (or bare LF).
 * Only that line end is removed: any other CR, a lone one at the end too,
 * is inside the line and refused (RFC 959 section 5.3.2). Strings are
 * taken as already-decoded text and encoded to UTF-8 first.
 * Errors carry the reply to send: 500 for a line that is not a command, 501
 * for an argument we cannot read.
 */
export function parseCommandLine(line: Uint8Array | string): Result<FtpCommand> {
  let bytes = typeof line === 'string' ? encodeUtf8(line) : line;
  if (bytes[bytes.length - 1] === LF) {
    bytes = bytes.subarray(0, bytes.length - 1);
    if (bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
  }

  const stripped = stripTelnet(bytes);
  const clean = stripped.bytes;
  let urgent = stripped.urgent;
  if (clean.length > MAX_COMMAND_LINE_BYTES) {
    return fail('LINE_TOO_LONG', `The command is ${clean.length} bytes long; the limit is ${MAX_COMMAND_LINE_BYTES}.`);
  }
  if (clean.length === 0) {
    return fail('EMPTY_COMMAND', 'The line is empty. Send a command such as NOOP, followed by CRLF.');
  }
  // RFC 959 section 5.3.2: <char> ::= any of the 128 ASCII characters except <CR> and <LF>.
  if (clean.indexOf(CR) >= 0 || clean.indexOf(LF) >= 0) {
    return fail('CR_IN_COMMAND', 'The line holds a CR or LF before its end. A command ends at CRLF; one command per line.');
  }
  // A NUL cuts C strings short: "RETR a\0b" could reach the file system as "a".
  if (clean.indexOf(NUL) >= 0) {
    return fail('NUL_IN_COMMAND', 'The line holds a NUL byte (0x00), which no command may contain.');
  }

  let verbEnd = clean.indexOf(SPACE);
  if (verbEnd < 0) verbEnd = clean.length;
  const verbBytes = clean.subarray(0, verbEnd);
  let verb: string;
  if (verbBytes.length > 0 && verbBytes.length <= MAX_VERB_LETTERS && verbBytes.every(isLetter)) {
    verb = String.fromCharCode(...verbBytes).toUpperCase();
  } else {
    const rescued = urgentVerbAfterJunk(verbBytes);
    if (rescued === null) {
      const shown = JSON.stringify(String.fromCharCode(...verbBytes.subarray(0, 20)));
      return fail(
        'BAD_VERB',
        `${shown} is not a command code. Command codes are 1 to 4 letters (RFC 959 section 5.3), like RETR or CWD, at the very start of the line.`,
      );
    }
    verb = rescued;
    urgent = true; // the junk is what is left of an IP/Synch
  }

  // The one space after the verb is the separator; any more belong to the argument.
  const argument = decodeUtf8Strict(clean.subarray(verbEnd + 1));
  if (argument === null) {
    return fail('NOT_UTF8', `The argument of ${verb} is not valid UTF-8. Send path names in UTF-8 (RFC 2640).`);
  }
  return { ok: true, value: { verb, argument, urgent } };
}

/**
 * Format a command line with its CRLF, for a client to send.
 * Fails (reply null: nobody answers) on a verb that is not 1 to 4 letters,
 * or an argument holding CR, LF or NUL: such an argument would smuggle a
 * second command onto the wire ("a.txt\r\nDELE b.txt").
 */
export function formatCommand(verb: string, argument = ''): Result<string> {
  if (!/^[A-Za-z]{1,4}$/.test(verb)) {
    return fail('BAD_VERB', `${JSON.stringify(verb)} is not a command code: use 1 to 4 letters, like RETR.`, null);
  }
  if (/[\r\n]/.test(argument)) {
    return fail('CR_IN_COMMAND', 'The argument holds a line break, which would end the command early. Remove it.', null);
  }
  if (argument.includes('\0')) {
    return fail('NUL_IN_COMMAND', 'The argument holds a NUL character, which no command may contain.', null);
  }
  const line = argument === '' ? `${verb.toUpperCase()}\r\n` : `${verb.toUpperCase()} ${argument}\r\n`;
  if (encodeUtf8(line).length - 2 > MAX_COMMAND_LINE_BYTES) {
    return fail('LINE_TOO_LONG', `The command would be longer than ${MAX_COMMAND_LINE_BYTES} bytes, which servers refuse.`, null);
  }
  return { ok: true, value: line };
}
