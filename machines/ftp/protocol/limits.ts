/**
 * Named limits of the FTP protocol core. Each is one constant, used by
 * every check that enforces it (listed at the constant), and each has a
 * test at the limit and one past it (test/ftp/limits.test.ts and the
 * module tests).
 *
 * Browser-safe: no `node:` import.
 */

/**
 * Longest command line a server accepts, in bytes, not counting the CRLF.
 *
 * RFC 959 sets no maximum but foresees one: "500 Syntax error, command
 * unrecognized. This may include errors such as command line too long."
 * (section 4.2.1). 4096 bytes holds any Linux path (PATH_MAX) plus a verb,
 * and is what vsftpd allows. A longer line is answered with 500, its bytes
 * are dropped up to the next line end, and the connection stays open.
 *
 * Enforced in three places, one per way a line arrives:
 * - splitLines (line-splitter.ts): a stream, as a server reads it; also
 *   stops buffering a line that never ends.
 * - parseCommandLine (command-line.ts): a line handed over whole.
 * - formatCommand (command-line.ts): a client refuses to send a line that
 *   servers would refuse.
 */
export const MAX_COMMAND_LINE_BYTES = 4096;

/**
 * Most bytes a client buffers for one reply: every line of a multi-line
 * reply together, with their line ends. basic-ftp uses the same 64 KiB. A
 * server that sends more without ending the reply is broken or hostile; the
 * client gets an error value and the parser skips to the reply's last line.
 * Enforced in one place: parseReplies (reply.ts), which also hands it to
 * the line splitter as the longest line.
 */
export const MAX_REPLY_BYTES = 64 * 1024;
