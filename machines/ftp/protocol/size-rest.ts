/**
 * The byte counts of SIZE and REST (RFC 3659 sections 4 and 5), exact.
 *
 *   C: SIZE huge.bin                 C: REST 9007199254740993
 *   S: 213 9007199254740993          S: 350 Restarting at 9007199254740993.
 *          └ size-response                  └ rest: the offset of the next RETR/STOR
 *
 * Both are bigints (see byte-count.ts): the size above is what vsftpd 3.0.3
 * sends for a sparse file of that size, one past 2^53.
 *
 * Browser-safe: no `node:` import.
 */
import { assertByteCount, parseByteCount } from './byte-count.ts';
import { asClientError } from './errors.ts';
import type { Result } from './errors.ts';
import { trimSpaces } from './text.ts';

/**
 * Parse the argument of REST, the offset at which the next RETR, STOR or
 * APPE starts. RFC 3659 section 5.3: 'rest = "Rest" SP 1*DIGIT CRLF'; "A
 * value of zero effectively disables restart". Spaces around the number are
 * allowed (a number holds none; pyftpdlib 1.5.7 allows them too); a sign is
 * not. Errors carry 501 ("Syntax error in parameters or arguments"),
 * including an offset past 2^63 - 1.
 */
export function parseRestArgument(argument: string): Result<bigint> {
  return parseByteCount(trimSpaces(argument), 'The REST offset');
}

/**
 * The argument of REST, for a client to send: the offset in decimal.
 * @throws RangeError for an offset outside 0..2^63 - 1 (no file has one).
 */
export function formatRestArgument(offset: bigint): string {
  assertByteCount(offset, 'REST offset');
  return String(offset);
}

/**
 * The text of the 350 reply to REST, the offset exact. RFC 3659 section
 * 5.3: 'rest-response = "350" SP *TCHAR CRLF': any text; this one says
 * where the transfer will start and what to send next.
 * @throws RangeError for an offset outside 0..2^63 - 1 (parseRestArgument refuses those).
 */
export function formatRestReplyText(offset: bigint): string {
  assertByteCount(offset, 'REST offset');
  return `Restarting at ${offset}. Send RETR, STOR or APPE to start the transfer there.`;
}

/**
 * Parse the text of a 213 reply to SIZE (what follows "213 "). RFC 3659
 * section 4.1: 'size-response = "213" SP 1*DIGIT CRLF', and "the format
 * MUST be exactly as specified". Spaces around the number are forgiven.
 * Errors carry reply null: it is the client that finds them.
 */
export function parseSizeReply(text: string): Result<bigint> {
  return asClientError(parseByteCount(trimSpaces(text), 'The size in the 213 reply'));
}

/**
 * The text of a 213 reply to SIZE: the size in decimal, nothing else.
 * @throws RangeError for a size outside 0..2^63 - 1 (no file has one).
 */
export function formatSizeReplyText(size: bigint): string {
  assertByteCount(size, 'SIZE');
  return String(size);
}
