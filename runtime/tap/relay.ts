/**
 * One connection through the tap: two programs, two sockets of the tap's,
 * and a pump for each direction.
 *
 *   client ──▶ tap socket A   recv ─ record send ─ (faults) ─ send ▶  tap socket B ──▶ server
 *   client ◀── tap socket A   send ◀ (faults) ─ record send ─ recv    tap socket B ◀── server
 *
 * What each program does shows up at the tap as one of three things, passed
 * on as the same thing and recorded on that program's lane:
 * - bytes: a `send` record (one per read of the tap's), then the same bytes
 *   to the other program, in order;
 * - end of data (its FIN): a `close` record, then a FIN to the other
 *   program (shutdown), which may still answer: a half-close stays one.
 *   The wire does not say whether the program called close() or
 *   shutdown(SHUT_WR); a program that closed answers later bytes with a
 *   reset, which is recorded as its own;
 * - a reset (ECONNRESET, or EPIPE when it came after its FIN): a `reset`
 *   record `by: 'local'` on its lane, then a reset to the other program.
 *
 * A connection is recorded (connect, accept) when its first bytes, FIN or
 * reset arrive, or after NAMING_WAIT_MS: an FTP server's first bytes are its
 * greeting, and then the connection is the `control` one and watched
 * (ftp-control.ts). Browser-safe: sockets come from the transport.
 */
import { isTransportError } from '../transport/errors.ts';
import type { TimerId } from '../transport/types.ts';
import type { RelayPlan, TapContext, TapSide } from './context.ts';
import { pieceCount, piecesOf } from './faults.ts';
import { FtpControl } from './ftp-control.ts';
import { NAMING_WAIT_MS, RELAY_READ_BYTES } from './limits.ts';

/** RFC 959 section 5.4, connection establishment: the server's first reply is 120, 220 or 421. */
const FTP_GREETING = /^(120|220)[ -]$/;
const GREETING_BYTES = 4;

/** Why a pump stopped early: the connection is over (reset, or the tap stopped). */
class Over extends Error {}

interface Direction {
  from: TapSide;
  to: TapSide;
  /** Bytes `from` has sent so far: the offset of its next send record. */
  sent: number;
  /** `from`'s FIN has come and was passed on. */
  finished: boolean;
}

export class Relay {
  readonly id: string;
  private readonly up: Direction;
  private readonly down: Direction;
  private opened = false;
  private over = false;
  /** Bytes delivered so far, both ways together (for --reset-after). */
  private passed = 0;
  private namingTimer: TimerId | undefined;
  /** The server's first bytes, until there are enough to tell an FTP greeting. */
  private greeting: number[] | null;
  private ftp: FtpControl | null = null;
  /** Delays waiting now; a reset or a stop ends them early. */
  private readonly sleeping = new Set<() => void>();

  constructor(
    private readonly tap: TapContext,
    private readonly plan: RelayPlan,
  ) {
    const { connector, acceptor } = plan;
    this.id = tap.trace.connectionId('connector', connector.local, connector.remote);
    this.up = { from: connector, to: acceptor, sent: 0, finished: false };
    this.down = { from: acceptor, to: connector, sent: 0, finished: false };
    this.greeting = plan.watchFtp ? [] : null;
  }

  /** Relay until both directions have ended, or a reset ended both. */
  async run(): Promise<void> {
    if (this.plan.label !== undefined || !this.plan.watchFtp) this.open();
    else this.namingTimer = this.tap.transport.clock.setTimeout(() => this.open(), NAMING_WAIT_MS);
    await Promise.all([this.pump(this.up), this.pump(this.down)]);
    this.ftp?.close();
    this.tap.transport.clock.clearTimeout(this.namingTimer);
    if (!this.over) {
      // Both FINs have passed: nothing is left to carry.
      this.over = true;
      await Promise.allSettled([this.up.from.conn.close(), this.down.from.conn.close()]);
    }
  }

  /** The tap is stopping: reset both programs' connections, as the tap's doing. */
  stop(): void {
    this.resetBoth('stopped');
  }

  /** Record the connection: the connector's connect, then the acceptor's accept. */
  private open(label = this.plan.label): void {
    if (this.opened) return;
    this.opened = true;
    this.tap.transport.clock.clearTimeout(this.namingTimer);
    const { connector: c, acceptor: a, link } = this.plan;
    const named = label === undefined ? {} : { label };
    this.tap.trace.add({
      type: 'connect',
      actor: c.lane,
      conn: this.id,
      end: 'connector',
      local: c.local,
      remote: c.remote,
      ...named,
      ...(link === undefined ? {} : { link }),
    });
    this.tap.trace.add({
      type: 'accept',
      actor: a.lane,
      conn: this.id,
      end: 'acceptor',
      listener: this.tap.listenerId(a.local),
      local: a.local,
      remote: a.remote,
      ...named,
    });
  }

  private async pump(d: Direction): Promise<void> {
    try {
      for (;;) {
        let bytes: Uint8Array;
        try {
          bytes = await d.from.conn.recv(RELAY_READ_BYTES);
        } catch (error) {
          this.failed(d.from, 'recv', error);
        }
        if (this.over) return;
        if (bytes.length === 0) return await this.finish(d);
        this.noticeFirst(d, bytes);
        this.tap.trace.add({
          type: 'send',
          actor: d.from.lane,
          conn: this.id,
          end: d.from.end,
          offered: bytes.length,
          accepted: bytes.length,
          offset: d.sent,
          data: bytes.slice(),
        });
        const offset = d.sent;
        d.sent += bytes.length;
        const watch = this.watcher(d);
        await this.deliver(d, offset, bytes.length, watch === null ? [bytes] : await watch.feed(bytes));
      }
    } catch (error) {
      if (error instanceof Over) return;
      throw error;
    }
  }

  /** The first bytes of a connection name it: an FTP greeting makes it a control connection. */
  private noticeFirst(d: Direction, bytes: Uint8Array): void {
    if (this.greeting !== null) {
      if (d.from !== this.plan.acceptor || d.from.lane !== 'server') {
        this.greeting = null; // the client spoke first: not FTP
      } else {
        for (const b of bytes.subarray(0, GREETING_BYTES - this.greeting.length)) this.greeting.push(b);
        if (this.greeting.length >= GREETING_BYTES) {
          const isFtp = FTP_GREETING.test(String.fromCharCode(...this.greeting));
          this.greeting = null;
          if (isFtp) {
            const [client, server] = [this.plan.connector, this.plan.acceptor];
            this.ftp = new FtpControl(this.tap, { id: this.id, client, server });
            this.open('control');
          }
        }
      }
    }
    this.open();
  }

  private watcher(d: Direction) {
    if (this.ftp === null) return null;
    return d.from.lane === 'client' ? this.ftp.commands : this.ftp.replies;
  }

  /** Pass bytes on in pieces, with the faults asked for; `offset`, `size` name them in the sender's stream. */
  private async deliver(d: Direction, offset: number, size: number, chunks: Uint8Array[]): Promise<void> {
    const { chunk, delayMs, resetAfter } = this.tap.faults;
    const pieces = pieceCount(chunks, chunk);
    const where = { conn: this.id, sender: d.from.lane, end: d.from.end, offset, size };
    if (chunk !== undefined && pieces > 1) this.tap.trace.add({ type: 'fault', kind: 'split', ...where, piece: chunk, pieces });
    if (delayMs !== undefined && delayMs > 0 && pieces > 0) this.tap.trace.add({ type: 'fault', kind: 'delay', ...where, ms: delayMs, pieces });
    for (const bytes of chunks) {
      for (const piece of piecesOf(bytes, chunk)) {
        if (delayMs !== undefined && delayMs > 0) await this.sleep(delayMs);
        if (this.over) throw new Over();
        const room = resetAfter === undefined ? Infinity : resetAfter - this.passed;
        await this.sendAll(d, room < piece.length ? piece.subarray(0, room) : piece);
        if (room <= piece.length) {
          this.resetBoth('limit');
          throw new Over();
        }
      }
    }
  }

  private async sendAll(d: Direction, bytes: Uint8Array): Promise<void> {
    for (let i = 0; i < bytes.length; ) {
      if (this.over) throw new Over();
      let n: number;
      try {
        n = await d.to.conn.send(bytes.subarray(i));
      } catch (error) {
        this.failed(d.to, 'send', error);
      }
      i += n;
      this.passed += n;
    }
  }

  /** `from` sent its FIN: record it and pass it on. */
  private async finish(d: Direction): Promise<void> {
    const held = this.watcher(d)?.flush() ?? [];
    if (held.length > 0) await this.deliver(d, d.sent - held[0]!.length, held[0]!.length, held);
    this.open();
    this.tap.trace.add({ type: 'close', actor: d.from.lane, conn: this.id, end: d.from.end });
    d.finished = true;
    // The other program reads end of data, and may still answer (half-close).
    await d.to.conn.shutdown().catch(() => undefined);
  }

  /**
   * A call on `side`'s socket failed. ECONNRESET, or EPIPE after its FIN, is
   * that program's reset; ECLOSED means the tap itself closed it (the
   * connection is over). Any other failure (ETIMEDOUT from the kernel, say)
   * is recorded as the failed call on that program's lane, and both ends
   * are reset: one broken connection must not stop the tap.
   */
  private failed(side: TapSide, op: 'recv' | 'send', error: unknown): never {
    if (this.over || !isTransportError(error) || error.code === 'ECLOSED') {
      if (this.over || isTransportError(error)) throw new Over();
      throw error; // not a transport failure: a bug, let it show
    }
    this.over = true;
    this.wake();
    this.open();
    const where = { actor: side.lane, conn: this.id, end: side.end };
    if (error.code === 'ECONNRESET' || error.code === 'EPIPE') this.tap.trace.add({ type: 'reset', ...where, by: 'local' });
    else this.tap.trace.add({ type: 'error', ...where, op, code: error.code, message: error.message });
    void this.plan.connector.conn.reset();
    void this.plan.acceptor.conn.reset();
    throw new Over();
  }

  /** The tap resets both programs' connections: `because` says why (--reset-after, or the tap stopped). */
  private resetBoth(because: 'limit' | 'stopped'): void {
    if (this.over) return;
    this.over = true;
    this.wake();
    this.open();
    this.tap.trace.add({ type: 'fault', kind: 'reset', conn: this.id, because, after: this.passed });
    void this.plan.connector.conn.reset();
    void this.plan.acceptor.conn.reset();
  }

  /** Wait on the transport's clock (virtual on the simulated network); a reset or stop ends it early. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.sleeping.delete(done);
        this.tap.transport.clock.clearTimeout(timer);
        resolve();
      };
      const timer = this.tap.transport.clock.setTimeout(done, ms);
      this.sleeping.add(done);
    });
  }

  private wake(): void {
    for (const done of [...this.sleeping]) done();
  }
}
