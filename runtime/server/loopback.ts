/**
 * Loopback only: the addresses a run started from the page may listen on
 * or connect to, unless the app was started with `allowRemote`.
 *
 * The app runs sockets on the learner's behalf. A page that could make it
 * listen on 0.0.0.0 or connect to another computer would turn a lesson
 * sandbox into a relay, so by default both ends of every socket stay on
 * this machine: 127.0.0.0/8 (RFC 1122, section 3.2.1.3: "Internal host
 * loopback address. Addresses of this form MUST NOT appear outside a
 * host."), ::1 (RFC 4291, section 2.5.3) and the name `localhost`
 * (RFC 6761, section 6.3).
 *
 * The options of a machine are checked before it starts (machine-options.ts);
 * the transport wrapper below also checks every listen and connect a
 * running machine makes (an address it learns from a peer, say), and the
 * address a connection really reached.
 */
import { TransportError } from '../transport/errors.ts';
import type { Connection, Transport } from '../transport/types.ts';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** 127.x.y.z with each part 0-255. */
function isLoopbackIpv4(text: string): boolean {
  const m = IPV4.exec(text);
  if (m === null) return false;
  const parts = m.slice(1).map(Number);
  return parts[0] === 127 && parts.every((p) => p <= 255);
}

/** True for a host that can only mean this machine: localhost, 127.0.0.0/8, ::1 (and ::ffff:127.x). */
export function isLoopbackHost(host: string): boolean {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h === 'localhost' || h === 'localhost.') return true;
  if (isLoopbackIpv4(h)) return true;
  // IPv6: every spelling of ::1, and IPv4-mapped loopback.
  if (h === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(h) || /^(0{1,4}:){1,6}:0{0,3}1$/.test(h)) return true;
  const mapped = /^::ffff:(.+)$/.exec(h);
  return mapped !== null && isLoopbackIpv4(mapped[1]!);
}

/** The sentence a learner reads when a run from the page names another computer. */
export function notLoopbackMessage(what: string, host: string): string {
  return (
    `${what} ${host} is not this computer: runs started from the page stay on this machine ` +
    '(127.0.0.1, ::1 or localhost). Use 127.0.0.1, or start the app with --allow-remote to allow other addresses.'
  );
}

/**
 * The same transport, refusing (EACCES, with a sentence saying why) any
 * listen or connect whose address is not loopback, and any connection that
 * ends up elsewhere (a name that resolves off this machine).
 */
export function loopbackOnly(transport: Transport): Transport {
  const refuse = (what: string, host: string) => Promise.reject(new TransportError('EACCES', notLoopbackMessage(what, host)));
  return {
    kind: transport.kind,
    now: () => transport.now(),
    clock: transport.clock,
    listen(options) {
      if (!isLoopbackHost(options.host)) return refuse('the address', options.host);
      return transport.listen(options);
    },
    async connect(options) {
      if (!isLoopbackHost(options.host)) return refuse('the host', options.host);
      const conn: Connection = await transport.connect(options);
      if (!isLoopbackHost(conn.remote.host)) {
        await conn.reset().catch(() => undefined);
        return refuse(`${options.host} resolved to`, conn.remote.host);
      }
      return conn;
    },
  };
}
