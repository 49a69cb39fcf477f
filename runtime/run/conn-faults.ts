/**
 * Faults on a program's own connections, so that our servers can make a
 * learner's client meet what a real network does to it:
 *
 *   sockstep run server1 --chunk 5 --delay 200 --reset-after 1000
 *
 *   --chunk N          each send's bytes go out in pieces of at most N
 *                      bytes: a client that takes one recv() for the whole
 *                      message gets the first piece only
 *   --delay MS         wait MS before each piece: a client with a short
 *                      timeout gives up, one that reads once reads early
 *   --reset-after B    reset the connection once B bytes have passed, both
 *                      ways together: a client that ignores
 *                      ConnectionResetError breaks
 *   stall              once the program has sent `afterBytes` bytes, wait
 *                      `ms` before the next ones (lesson 5's fault knob: a
 *                      sender stalled past the reader's timeout)
 *
 * One wrapper around a Connection, applied by the socket table to every
 * connection the program accepts or opens (runtime/run/socket-table.ts),
 * on either transport; no machine knows. Each fault leaves a `fault`
 * record (runtime/trace/records.ts) naming the program and the option, so
 * the trace says why the bytes came late or in pieces.
 *
 * A send with faults holds the program until its pieces are out, as a send
 * into a full buffer would: the program sees a slow send, its peer sees
 * the pieces. Cancelled part way, it reports the bytes that went out.
 * Timers run on the transport's clock: on the simulated network a delay
 * costs no wall time.
 *
 * Browser-safe.
 */
import type { ConnEnd } from '../../machines/socket-calls.ts';
import { faultsProblem, piecesOf } from '../tap/faults.ts';
import type { FaultRecord } from '../trace/records.ts';
import type { Unstamped } from '../trace/records.ts';
import { onAbort } from '../transport/cancel.ts';
import { TransportError } from '../transport/errors.ts';
import type { Clock, Connection, RecvOptions, SendOptions } from '../transport/types.ts';

export interface ConnFaults {
  /** Largest piece a send's bytes go out in (at least 1). */
  chunk?: number;
  /** Wait before each piece, in ms. */
  delayMs?: number;
  /** Reset the connection once this many bytes have passed, both ways together. */
  resetAfter?: number;
  /** Once this end has sent `afterBytes`, wait `ms` before sending more; `cause` names it in the trace. */
  stall?: { afterBytes: number; ms: number; cause?: string };
}

/** Why a set of faults cannot be used, or null (the tap's checks, and the stall's). */
export function connFaultsProblem(faults: ConnFaults): string | null {
  const tap = faultsProblem({
    ...(faults.chunk === undefined ? {} : { chunk: faults.chunk }),
    ...(faults.delayMs === undefined ? {} : { delayMs: faults.delayMs }),
    ...(faults.resetAfter === undefined ? {} : { resetAfter: faults.resetAfter }),
  });
  if (tap !== null) return tap;
  const { stall } = faults;
  if (stall !== undefined && !(Number.isInteger(stall.afterBytes) && stall.afterBytes >= 0 && Number.isFinite(stall.ms) && stall.ms >= 0)) {
    return `a stall needs a whole number of bytes (0 or more) and a number of ms (0 or more), not ${JSON.stringify(stall)}`;
  }
  return null;
}

/** Whether any fault is asked for. */
export function hasFaults(faults: ConnFaults | undefined): faults is ConnFaults {
  return faults !== undefined && (faults.chunk !== undefined || (faults.delayMs ?? 0) > 0 || faults.resetAfter !== undefined || faults.stall !== undefined);
}

/** What the wrapper needs to know of where it is. */
export interface FaultSite {
  /** The connection's id in the trace, and this end. */
  conn: string;
  end: ConnEnd;
  /** The program whose connection this is (its lane). */
  program: string;
  clock: Clock;
  record(fault: Unstamped<FaultRecord>): void;
}

/** A connection with faults. Sends go out in pieces, late; the connection is reset past a byte limit. */
export class FaultyConnection implements Connection {
  /** Bytes this end has sent, and bytes that have passed both ways. */
  private sent = 0;
  private passed = 0;
  private stalled = false;
  /** Set once the fault reset the connection: every later call fails with it. */
  private aborted: TransportError | null = null;

  constructor(
    private readonly inner: Connection,
    private readonly faults: ConnFaults,
    private readonly site: FaultSite,
  ) {}

  get id() {
    return this.inner.id;
  }
  get local() {
    return this.inner.local;
  }
  get remote() {
    return this.inner.remote;
  }

  async send(bytes: Uint8Array, options: SendOptions = {}): Promise<number> {
    this.check();
    const { signal } = options;
    const offset = this.sent;
    const { chunk, delayMs = 0 } = this.faults;
    const pieces = piecesOf(bytes, chunk);
    const where = { conn: this.site.conn, sender: this.site.program, end: this.site.end, offset, size: bytes.length, program: this.site.program };
    const stall = this.dueStall(bytes.length);
    if (stall !== null) this.site.record({ type: 'fault', kind: 'delay', ...where, ms: stall.ms, pieces: 1, cause: stall.cause ?? `a stall of ${stall.ms} ms after ${stall.afterBytes} bytes` });
    if (chunk !== undefined && pieces.length > 1) {
      this.site.record({ type: 'fault', kind: 'split', ...where, piece: chunk, pieces: pieces.length, cause: `--chunk ${chunk}` });
    }
    if (delayMs > 0) this.site.record({ type: 'fault', kind: 'delay', ...where, ms: delayMs, pieces: pieces.length, cause: `--delay ${delayMs}` });

    let done = 0;
    try {
      if (stall !== null) await this.sleep(stall.ms, signal);
      for (const piece of pieces) {
        if (delayMs > 0) await this.sleep(delayMs, signal);
        done += await this.sendPiece(piece, options);
        if (this.aborted !== null) break;
      }
    } catch (error) {
      // Part of it went out before the failure (or the cancellation): that is what this send did, as a
      // kernel's send() returns what it took; the failure, if it lasts, comes with the next call.
      if (done === 0) throw error;
    }
    if (done === 0 && this.aborted !== null) throw this.aborted;
    this.sent += done;
    options.onAccepted?.(bytes.slice(0, done));
    return done;
  }

  async recv(max: number, options?: RecvOptions): Promise<Uint8Array> {
    this.check();
    const bytes = await this.inner.recv(max, options);
    this.passed += bytes.length;
    // What has arrived is the program's; the reset comes after it, as on a real network.
    if (this.faults.resetAfter !== undefined && this.passed >= this.faults.resetAfter) await this.resetNow();
    return bytes;
  }

  shutdown(): Promise<void> {
    this.check();
    return this.inner.shutdown();
  }

  close(): Promise<void> {
    // Closing what the fault reset is no news: the connection is gone.
    if (this.aborted !== null) return Promise.resolve();
    return this.inner.close();
  }

  reset(): Promise<void> {
    if (this.aborted !== null) return Promise.resolve();
    return this.inner.reset();
  }

  /** The stall, the first time this end's bytes reach its mark; null otherwise. */
  private dueStall(size: number): NonNullable<ConnFaults['stall']> | null {
    const { stall } = this.faults;
    if (stall === undefined || this.stalled || this.sent + size <= stall.afterBytes) return null;
    // The mark falls inside these bytes or before them: this send waits.
    this.stalled = true;
    return stall;
  }

  /** One piece, all of it (a send may take part); stopped at the reset limit. */
  private async sendPiece(piece: Uint8Array, options: SendOptions): Promise<number> {
    const { resetAfter } = this.faults;
    const room = resetAfter === undefined ? piece.length : Math.max(0, resetAfter - this.passed);
    const part = piece.subarray(0, Math.min(piece.length, room));
    let done = 0;
    while (done < part.length) {
      const n = await this.inner.send(part.subarray(done), { ...(options.signal === undefined ? {} : { signal: options.signal }) });
      done += n;
      this.passed += n;
    }
    if (resetAfter !== undefined && this.passed >= resetAfter) await this.resetNow();
    return done;
  }

  private async resetNow(): Promise<void> {
    if (this.aborted !== null) return;
    const limit = this.faults.resetAfter!;
    this.aborted = new TransportError('ECONNRESET', `--reset-after ${limit}: this run reset the connection after ${limit} bytes, as a failing network would`);
    this.site.record({ type: 'fault', kind: 'reset', conn: this.site.conn, because: 'limit', after: this.passed, program: this.site.program, cause: `--reset-after ${limit}` });
    await this.inner.reset().catch(() => undefined);
  }

  private check(): void {
    if (this.aborted !== null) throw this.aborted;
  }

  /** Wait on the transport's clock; an abort ends the wait with ECANCELED. */
  private sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted === true) return reject(new TransportError('ECANCELED', 'send was cancelled'));
      const timer = this.site.clock.setTimeout(() => {
        stop();
        resolve();
      }, ms);
      const stop = onAbort(signal, () => {
        this.site.clock.clearTimeout(timer);
        reject(new TransportError('ECANCELED', 'send was cancelled'));
      });
    });
  }
}
