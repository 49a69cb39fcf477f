/**
 * Sizes and offsets, exact: every byte count in the core is a bigint.
 *
 * A JavaScript number holds whole numbers exactly only up to 2^53 - 1
 * (9,007,199,254,740,991), and files get bigger than that. vsftpd 3.0.3
 * lists a sparse file made with `truncate -s 9007199254740993 huge.bin` as
 *
 *   -rw-r--r--    1 0        0        9007199254740993 Nov 29 12:44 huge.bin
 *
 * and Number() reads that size as 9007199254740992: one byte lost, without a
 * word. A client that resumes a download with REST at a rounded offset
 * corrupts the file it writes. So sizes (LIST, MLSD/MLST, SIZE's 213 reply)
 * and offsets (REST) are bigints, parsed from their digits and never
 * through a number.
 *
 * The largest is INT64_MAX, 2^63 - 1: the size type of POSIX (off_t) is a
 * signed 64-bit number, so no file system reports a bigger file, and a
 * server that does (or a REST past it) is refused with the reason, never
 * clamped. pyftpdlib 1.5.7 answers "REST 9223372036854775808" with "350
 * Restarting at position 9223372036854775808"; vsftpd 3.0.3 answers any REST
 * of 16 digits or more with "350 Restart position accepted (0)". Both are
 * silently wrong; we answer 501 and say why.
 *
 * Browser-safe: no `node:` import.
 */
import { fail } from './errors.ts';
import type { Result } from './errors.ts';

/** INT64_MAX, 9223372036854775807: the largest size or offset (the largest off_t). */
export const MAX_BYTE_COUNT = 0x7fff_ffff_ffff_ffffn;

/** Digits in MAX_BYTE_COUNT: a count with more significant digits is too large without converting it. */
const MAX_DIGITS = String(MAX_BYTE_COUNT).length;

const ZERO = 0x30;
const NINE = 0x39;

/** True when every character of `text` is an ASCII digit (and there is at least one). */
export function isDigits(text: string): boolean {
  if (text === '') return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) return false;
  }
  return true;
}

/**
 * Parse a byte count written as 1*DIGIT (RFC 3659's grammar for SIZE, REST
 * and the size fact): the exact value, 0..MAX_BYTE_COUNT. `what` names the
 * field in the error message ("The REST offset"). Errors carry 501; a
 * client-side caller marks them with `asClientError`. Linear in the length
 * of `text`, however long: a long run of digits is judged by its length
 * before any conversion.
 */
export function parseByteCount(text: string, what: string): Result<bigint> {
  if (!isDigits(text)) {
    const shown = JSON.stringify(text.slice(0, 24));
    const why = text.startsWith('-') && isDigits(text.slice(1)) ? 'negative; byte counts start at 0' : 'not a decimal number (digits 0-9 only)';
    return fail('BYTE_COUNT_NOT_A_NUMBER', `${what} is ${text === '' ? 'missing' : shown}: ${text === '' ? 'it needs a decimal number of bytes' : why}.`);
  }
  let first = 0;
  while (first < text.length - 1 && text.charCodeAt(first) === ZERO) first++;
  const digits = text.length - first;
  const value = digits > MAX_DIGITS ? null : BigInt(text.slice(first));
  if (value === null || value > MAX_BYTE_COUNT) {
    const shown = digits > 24 ? `a number of ${digits} digits` : text.slice(first);
    return fail(
      'BYTE_COUNT_TOO_LARGE',
      `${what} is ${shown}, past ${MAX_BYTE_COUNT} (2^63 - 1), the largest size a file can have. It is refused rather than rounded.`,
    );
  }
  return { ok: true, value };
}

/**
 * For formatters, which our own code calls with sizes from the file system:
 * no file system reports a size outside 0..MAX_BYTE_COUNT, so one is a bug.
 * @throws RangeError for a size below 0 or above MAX_BYTE_COUNT.
 */
export function assertByteCount(count: bigint, what: string): void {
  if (count < 0n || count > MAX_BYTE_COUNT) throw new RangeError(`${what} ${count} is not 0..${MAX_BYTE_COUNT}, the sizes a file can have`);
}
