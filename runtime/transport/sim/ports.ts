/**
 * Which ports are taken, and the ephemeral ports handed out for
 * `listen({ port: 0 })` and for the client end of each connection.
 *
 * Allocation is deterministic: the next free port after the last one handed
 * out, wrapping around the range. (Linux picks pseudo-randomly; a counter
 * keeps traces easy to read and identical from run to run.)
 *
 * Browser-safe: no `node:` import.
 */
import { EPHEMERAL_PORT_FIRST, EPHEMERAL_PORT_LAST } from './limits.ts';

export class PortTable {
  /** Port -> how many listeners and client ends use it. */
  private readonly users = new Map<number, number>();
  private next = EPHEMERAL_PORT_FIRST;

  /** Note one more user of a port. */
  take(port: number): void {
    this.users.set(port, (this.users.get(port) ?? 0) + 1);
  }

  release(port: number): void {
    const count = this.users.get(port) ?? 0;
    if (count <= 1) this.users.delete(port);
    else this.users.set(port, count - 1);
  }

  /** Take a free ephemeral port, or return undefined when all of them are in use. */
  allocate(): number | undefined {
    const size = EPHEMERAL_PORT_LAST - EPHEMERAL_PORT_FIRST + 1;
    for (let tried = 0; tried < size; tried++) {
      const port = this.next;
      this.next = port === EPHEMERAL_PORT_LAST ? EPHEMERAL_PORT_FIRST : port + 1;
      if (!this.users.has(port)) {
        this.take(port);
        return port;
      }
    }
    return undefined;
  }
}
