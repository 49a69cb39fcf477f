/**
 * The tap's named limits. Each is enforced where its comment says and
 * exercised in test/tap/.
 *
 * The control lines the tap holds back (an FTP command or reply it may
 * have to rewrite) are bounded by the FTP core's own limits,
 * MAX_COMMAND_LINE_BYTES and MAX_REPLY_BYTES (machines/ftp/protocol/limits.ts),
 * in held-lines.ts.
 */

/**
 * Most bytes one recv() of the tap asks for (relay.ts). Each read becomes
 * one `send` record of the program that sent the bytes, so this is also
 * the largest send record a tap trace holds.
 */
export const RELAY_READ_BYTES = 64 * 1024;

/**
 * How long a new connection may stay silent before the tap records it
 * (relay.ts). The tap waits for the first bytes so that it can name an FTP
 * control connection by its greeting (RFC 959 section 5.4: "120 / 220 /
 * 421" is the first reply); a program that says nothing still shows as
 * connected after this long, which is the picture of a hang.
 */
export const NAMING_WAIT_MS = 250;

/**
 * Most connections the tap relays at once (tap.ts), data connections
 * included; one more is reset at once (a `busy` fault), as a full accept
 * queue would. Each holds two sockets of the tap's and its buffers.
 */
export const MAX_RELAYED_CONNECTIONS = 256;
