/**
 * The FTP protocol core: pure parsers and formatters of the wire language
 * that lessons 6 to 8, the FTP server and the FTP client shell share.
 * No sockets, no `node:` imports: strings and Uint8Array in, data out.
 * Parsers never throw on bad input; they return `{ ok: false, error }`.
 */
export { MAX_COMMAND_LINE_BYTES, MAX_REPLY_BYTES } from './limits.ts';
export { FTP_ERROR_REPLY, ftpError } from './errors.ts';
export type { FtpErrorCode, FtpProtocolError, Result } from './errors.ts';
export { decodeUtf8Lenient, decodeUtf8Strict, encodeUtf8 } from './text.ts';
export { stripTelnet } from './telnet.ts';
export type { TelnetStripped } from './telnet.ts';
export { LINE_SPLITTER_START, splitLines } from './line-splitter.ts';
export type { LineSplitterState } from './line-splitter.ts';
export { formatCommand, parseCommandLine } from './command-line.ts';
export type { FtpCommand } from './command-line.ts';
export { REPLY_PARSER_START, formatReply, parseReplies, parseReplyText, replyText } from './reply.ts';
export type { FtpReply, ReplyParserState } from './reply.ts';
export {
  REPLY_CODES,
  describeReplyCode,
  isCompletion,
  isIntermediate,
  isNegative,
  isPermanentNegative,
  isPreliminary,
  isReplyCode,
  isTransientNegative,
  replyClass,
  replyGroup,
} from './reply-codes.ts';
export type { ReplyClass, ReplyCodeInfo, ReplyGroup } from './reply-codes.ts';
export { parsePathnameReply, quotePathname } from './pathname-reply.ts';
export { MAX_OCTET, MAX_PORT, ipv4Problem, ipv6Problem } from './ip-address.ts';
export { formatPasvReplyText, formatPortArgument, parsePasvReply, parsePortArgument } from './port-pasv.ts';
export type { HostPort } from './port-pasv.ts';
export {
  SUPPORTED_PROTOCOLS,
  formatEprtArgument,
  formatEpsvReplyText,
  parseEprtArgument,
  parseEpsvArgument,
  parseEpsvReply,
} from './eprt-epsv.ts';
export type { EpsvRequest, ExtendedAddress, NetworkProtocol } from './eprt-epsv.ts';
export { MAX_BYTE_COUNT } from './byte-count.ts';
export { formatRestArgument, formatRestReplyText, formatSizeReplyText, parseRestArgument, parseSizeReply } from './size-rest.ts';
export type { EntryType, FileInfo, ListEntry, ListingDate } from './file-info.ts';
export { formatUnixListLine, parseUnixListLine, permissionText } from './listing-unix.ts';
export { parseDosListLine } from './listing-dos.ts';
export { decideDosDateOrder } from './dos-date-order.ts';
export type { DosDateOrder, DosDateOrderDecision } from './dos-date-order.ts';
export { parseListLine, parseListing } from './listing.ts';
export type { ParsedListing } from './listing.ts';
export { formatMlsdEntry, formatMlsdLine, formatMlsdTime, mlsdFacts, parseMlsdLine, parseMlsdTime, parseMlstLine } from './mlsd.ts';
export type { Facts, MlsdEntry } from './mlsd.ts';
export { JAIL_ROOT, resolveJailedPath } from './path-jail.ts';
export type { JailedPath } from './path-jail.ts';
export { CRLF_TO_LF_START, crlfToLf, crlfToLfEnd, lfToCrlf } from './type-a.ts';
export type { CrlfToLfState } from './type-a.ts';
