/**
 * Errors as data. Parsers never throw on bad input from the network: they
 * return `{ ok: false, error }`, where `error` is a plain, serialisable
 * `FtpProtocolError` with
 *
 *   code     a stable string a program can switch on ('OCTET_OUT_OF_RANGE')
 *   message  what happened in plain words, and what to try
 *   reply    the reply code a server should answer with (500, 501, 522, 553),
 *            or null where the error is found by a client and nobody answers
 *
 * Formatters are different: they are called by our own code, so an
 * impossible argument (a reply code of 700) is a bug and throws RangeError.
 *
 * Browser-safe: no `node:` import.
 */

export type FtpErrorCode =
  // Command lines (command-line.ts, line-splitter.ts)
  /** The line was empty (or held only Telnet signals). */
  | 'EMPTY_COMMAND'
  /**
   * A command line is longer than MAX_COMMAND_LINE_BYTES. (The reply parser
   * reports an overlong reply line as REPLY_TOO_LONG, never this.)
   */
  | 'LINE_TOO_LONG'
  /** A NUL byte inside the line. */
  | 'NUL_IN_COMMAND'
  /** A CR or LF before the end of the line. */
  | 'CR_IN_COMMAND'
  /** The command code is not 1 to 4 letters. */
  | 'BAD_VERB'
  /** The argument is not valid UTF-8. */
  | 'NOT_UTF8'
  // Replies (reply.ts)
  /** A line outside a multi-line reply does not start with a 3-digit code. */
  | 'MALFORMED_REPLY'
  /** One reply grew past MAX_REPLY_BYTES. */
  | 'REPLY_TOO_LONG'
  // Addresses (port-pasv.ts, eprt-epsv.ts; the IP checks in ip-address.ts)
  /** Numbers separated by something other than the comma PORT needs. */
  | 'ADDRESS_SEPARATOR'
  /** Not 6 fields (PORT, 227) or not 3 fields between 4 delimiters (EPRT). */
  | 'ADDRESS_FIELD_COUNT'
  /** A field that should be a decimal number is not one. */
  | 'ADDRESS_NOT_A_NUMBER'
  /** A field carries a minus sign. */
  | 'ADDRESS_NEGATIVE'
  /** An IPv4 octet above 255. */
  | 'OCTET_OUT_OF_RANGE'
  /** A port above 65535, or 0. */
  | 'PORT_OUT_OF_RANGE'
  /** An EPRT field is empty. */
  | 'EPRT_EMPTY_FIELD'
  /** The EPRT delimiter is not a printable ASCII character (33 to 126). */
  | 'EPRT_BAD_DELIMITER'
  /** The network protocol number is neither 1 (IPv4) nor 2 (IPv6). */
  | 'UNKNOWN_NETWORK_PROTOCOL'
  /** Under protocol 1, the address is not dotted decimal. */
  | 'EPRT_BAD_IPV4'
  /** Under protocol 2, the address is not IPv6 text. */
  | 'EPRT_BAD_IPV6'
  /** A 227 reply holds no h1,h2,h3,h4,p1,p2 group. */
  | 'PASV_REPLY_MALFORMED'
  /** A 229 reply holds no (|||port|) group. */
  | 'EPSV_REPLY_MALFORMED'
  // Sizes and offsets (byte-count.ts: REST, SIZE, listings)
  /** A size or offset that is not 1*DIGIT (a sign, a letter, nothing). */
  | 'BYTE_COUNT_NOT_A_NUMBER'
  /** A size or offset past 2^63 - 1, the largest size a file can have. */
  | 'BYTE_COUNT_TOO_LARGE'
  // Listings (listing-unix.ts, listing-dos.ts, mlsd.ts)
  /** A LIST line in no format we know (or a 'total' summary line). */
  | 'LIST_UNRECOGNISED'
  /** An MLSD/MLST line without the space between facts and name. */
  | 'MLSD_NO_SPACE'
  /** A fact without '=' or with an empty name. */
  | 'MLSD_BAD_FACT'
  /** A size, modify or create fact with a value that breaks its grammar. */
  | 'MLSD_BAD_VALUE'
  // Paths (path-jail.ts)
  /** A path with a NUL byte in it. */
  | 'PATH_HAS_NUL'
  /** A name made only of dots and spaces (other than '.' and '..'). */
  | 'PATH_NOT_ALLOWED'
  /** A name with a control character (0x01 to 0x1F, or 0x7F). */
  | 'PATH_HAS_CONTROL'
  /** A name that starts like a Windows drive: "C:", "c:x". */
  | 'PATH_DRIVE_LETTER';

/** An error found while parsing FTP protocol text. Plain data: safe to put in a trace. */
export interface FtpProtocolError {
  readonly code: FtpErrorCode;
  readonly message: string;
  /** Reply code a server should answer with; null where a client found the error. */
  readonly reply: number | null;
}

/** What a parser returns: the value, or an error value. */
export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: FtpProtocolError };

/**
 * The reply a server sends for each error, from RFC 959 section 4.2.1 and
 * RFC 2428 section 2. Client-side errors have null: nobody answers them.
 */
export const FTP_ERROR_REPLY: Readonly<Record<FtpErrorCode, number | null>> = {
  EMPTY_COMMAND: 500,
  LINE_TOO_LONG: 500, // "500 ... This may include errors such as command line too long."
  NUL_IN_COMMAND: 500,
  CR_IN_COMMAND: 500,
  BAD_VERB: 500,
  NOT_UTF8: 501,
  MALFORMED_REPLY: null,
  REPLY_TOO_LONG: null,
  ADDRESS_SEPARATOR: 501,
  ADDRESS_FIELD_COUNT: 501,
  ADDRESS_NOT_A_NUMBER: 501,
  ADDRESS_NEGATIVE: 501,
  OCTET_OUT_OF_RANGE: 501,
  PORT_OUT_OF_RANGE: 501,
  EPRT_EMPTY_FIELD: 501,
  EPRT_BAD_DELIMITER: 501,
  UNKNOWN_NETWORK_PROTOCOL: 522, // RFC 2428: "The response code 522 indicates that the server does not support the requested network protocol."
  EPRT_BAD_IPV4: 501,
  EPRT_BAD_IPV6: 501,
  PASV_REPLY_MALFORMED: null,
  EPSV_REPLY_MALFORMED: null,
  BYTE_COUNT_NOT_A_NUMBER: 501,
  BYTE_COUNT_TOO_LARGE: 501,
  LIST_UNRECOGNISED: null,
  MLSD_NO_SPACE: null,
  MLSD_BAD_FACT: null,
  MLSD_BAD_VALUE: null,
  PATH_HAS_NUL: 553, // "553 Requested action not taken. File name not allowed."
  PATH_NOT_ALLOWED: 553,
  PATH_HAS_CONTROL: 553,
  PATH_DRIVE_LETTER: 553,
};

/** Build an error value with the default reply for its code (or `reply` where given). */
export function ftpError(code: FtpErrorCode, message: string, reply: number | null = FTP_ERROR_REPLY[code]): FtpProtocolError {
  return { code, message, reply };
}

/** Shorthand for a failed `Result`. */
export function fail(code: FtpErrorCode, message: string, reply?: number | null): { readonly ok: false; readonly error: FtpProtocolError } {
  return { ok: false, error: ftpError(code, message, reply) };
}

/** The same error, marked as found by a client (no reply is due). */
export function asClientError<T>(result: Result<T>): Result<T> {
  return result.ok ? result : { ok: false, error: { ...result.error, reply: null } };
}
