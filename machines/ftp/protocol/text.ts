/**
 * How bytes on the control connection become text, decided once.
 *
 * RFC 959 says the control connection speaks 7-bit NVT-ASCII (section 2.2:
 * "ASCII characters are defined to be the lower half of an eight-bit code
 * set"). Real servers and clients send UTF-8 path names, as RFC 2640
 * recommends, and ASCII is a subset of UTF-8. So:
 *
 * - Bytes are split into lines BEFORE they are decoded. LF (0x0A) never
 *   occurs inside a UTF-8 multi-byte sequence, so a character cut in two by
 *   the network is always decoded whole.
 * - Commands are decoded strictly: an argument that is not valid UTF-8 is
 *   answered 501. A path we cannot decode is a path we cannot echo back or
 *   store faithfully.
 * - Replies are decoded leniently: bytes that are not UTF-8 become U+FFFD.
 *   An old server that sends Latin-1 names in its messages must not break
 *   the client; the reply codes, which drive the client, are plain ASCII.
 *
 * TextDecoder and TextEncoder exist in browsers and in Node: no `node:` import.
 *
 * The control bytes that the splitters and parsers look for before anything
 * is decoded are named here too, once for the whole protocol core.
 */

/** NUL, which no command may hold (C strings end at it). */
export const NUL = 0x00;
/** Line feed: ends a line (RFC 959 wants CR LF; a bare LF is accepted). */
export const LF = 0x0a;
/** Carriage return: the first half of CR LF. */
export const CR = 0x0d;
/** Space: separates a command's verb from its argument. */
export const SPACE = 0x20;

/**
 * `text` without the spaces (U+0020 only) at its ends. For arguments that
 * are numbers or addresses (REST, PORT, EPRT, EPSV), where a space can be
 * no part of the value, so nothing is lost by allowing a stray one. Never
 * for path names: RFC 3659 section 2.2, "Any trailing spaces preceding that
 * CRLF form part of the name" (String.trim would also eat tabs, NBSP, BOM).
 */
export function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === SPACE) start++;
  while (end > start && text.charCodeAt(end - 1) === SPACE) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** An empty byte array, shared (never written to). */
export const NO_BYTES = new Uint8Array(0);

// ignoreBOM: a line that starts with EF BB BF keeps that character; we never strip data.
const STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LENIENT = new TextDecoder('utf-8', { ignoreBOM: true });
const ENCODER = new TextEncoder();

/** UTF-8 bytes to text; null if the bytes are not valid UTF-8. */
export function decodeUtf8Strict(bytes: Uint8Array): string | null {
  try {
    return STRICT.decode(bytes);
  } catch {
    return null;
  }
}

/** UTF-8 bytes to text; invalid bytes become U+FFFD. Never fails. */
export function decodeUtf8Lenient(bytes: Uint8Array): string {
  return LENIENT.decode(bytes);
}

/** Text to UTF-8 bytes. */
export function encodeUtf8(text: string): Uint8Array {
  return ENCODER.encode(text);
}
