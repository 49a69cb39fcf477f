/**
 * The simulated network's limits, one place to read them all. Each is
 * enforced where its name appears and has a test of its own in
 * test/sim-network.test.ts.
 *
 * Browser-safe: no `node:` import.
 */

/**
 * Largest receive window `receiveBufferBytes` may ask for: 16 MiB, above
 * Linux's default maximum (the last number of net.ipv4.tcp_rmem, 6 MiB) and
 * small enough that one connection cannot eat a browser tab's memory.
 */
export const MAX_RECEIVE_BUFFER_BYTES = 16 * 1024 * 1024;

/**
 * Largest send buffer `sendBufferBytes` may ask for: 16 MiB, four times
 * Linux's default maximum (the last number of net.ipv4.tcp_wmem, 4 MiB).
 */
export const MAX_SEND_BUFFER_BYTES = 16 * 1024 * 1024;

/**
 * Largest segment a segmentation policy may cut: an IPv4 packet is at most
 * 65,535 bytes, and the IP and TCP headers take 40 of them.
 */
export const MAX_SEGMENT_BYTES = 65_495;

/**
 * Data segments one direction of a connection may have in flight at once.
 * When reached, send() accepts fewer bytes, as when the window is full. It
 * only matters for tiny segments (a policy of 1-byte pieces and a large
 * window) and keeps memory and the event count bounded; Linux has a similar
 * brake, charging each segment's overhead to the socket's buffer.
 */
export const MAX_SEGMENTS_IN_FLIGHT = 16_384;

/**
 * Most events (packet arrivals, timers) the network holds at once. A guard
 * against a program that schedules without end, e.g. a sleep() per loop turn
 * that never runs; scheduling one more throws a RangeError.
 */
export const MAX_PENDING_EVENTS = 1_000_000;

/** Linux's SOMAXCONN: listen() quietly lowers a larger backlog to this. */
export const MAX_BACKLOG = 4096;

/**
 * Ports handed out for `listen({ port: 0 })` and for the client end of a
 * connection: IANA's dynamic range. (Linux's default range is 32768-60999,
 * net.ipv4.ip_local_port_range; this one is easier to tell apart from the
 * ports lessons choose.)
 */
export const EPHEMERAL_PORT_FIRST = 49_152;
export const EPHEMERAL_PORT_LAST = 65_535;
