/**
 * A run's transfers (machines/transfer-calls.ts): a whole file, or a
 * listing, moved over a data connection in one call, recorded as a summary.
 * The sibling of the socket and file tables, on the same run's sockets and
 * files.
 *
 *   send:     file ──read 1 MiB──▶ (TYPE A: LF → CR LF) ──send, waiting for room──▶ socket
 *   receive:  socket ──recv──▶ (TYPE A: CR LF → LF) ──write (one in flight while the next recv waits)──▶ file
 *
 * Fast because the bytes never become XState events or per-chunk records:
 * big reads, the transport's own back-pressure (send resolves when the
 * bytes fit its buffer), one progress record every PROGRESS_BYTES. ABOR
 * leaves the machine state that invoked the call: its AbortSignal aborts
 * the read, write, send or recv under way, and the call ends 'cancelled'.
 *
 * The trace gets `transfer` (begin), `transferProgress` and `transferEnd`
 * (count, first bytes, SHA-256 when a hasher is given). With `data: 'full'`
 * every chunk is recorded as an ordinary send or recv record instead.
 *
 * Browser-safe: the hasher and the file streams come from outside.
 */
import { crlfToLf, crlfToLfEnd, CRLF_TO_LF_START, lfToCrlf } from '../../machines/ftp/protocol/type-a.ts';
import type { CallSite } from '../../machines/socket-calls.ts';
import { TRANSFER_HEAD_BYTES, type TransferInput, type TransferOutput } from '../../machines/transfer-calls.ts';
import type { Trace } from '../trace/trace.ts';
import { TransportError } from '../transport/errors.ts';
import type { Connection } from '../transport/types.ts';
import type { SocketTable } from './socket-table.ts';

/** How much of a file one read asks for. */
export const TRANSFER_READ_BYTES = 1024 * 1024;
/** How much one recv of a data connection asks for. */
export const TRANSFER_RECV_BYTES = 1024 * 1024;
/** A progress record after every this many bytes on the wire. */
export const PROGRESS_BYTES = 64 * 1024 * 1024;

/** Reads and writes on files the run opened, without a record per call (the transfer records a summary). */
export interface FileStreams {
  /** At most `max` bytes from the file's current position; empty at its end. */
  read(file: string, max: number, signal?: AbortSignal): Promise<Uint8Array>;
  /** All of `bytes` at the file's current position. Once it resolves the bytes are the caller's again (a transfer reuses its buffers). */
  write(file: string, bytes: Uint8Array, signal?: AbortSignal): Promise<void>;
}

/** An incremental digest (node:crypto's createHash('sha256') fits). */
export interface Hasher {
  update(bytes: Uint8Array): unknown;
  digest(encoding: 'hex'): string;
}

export interface TransferOptions {
  /** 'summary' (default): count, first bytes, digest. 'full': every chunk as a send/recv record. */
  data?: 'summary' | 'full';
  /** Makes a SHA-256 hasher; without it the summary has no digest. */
  hash?: () => Hasher;
  /** Where file handles are read and written; without it a transfer of a file fails with ENOFOLDER. */
  files?: FileStreams | null;
}

/** The first bytes and the digest of what crossed the wire. */
class Summary {
  readonly head = new Uint8Array(TRANSFER_HEAD_BYTES);
  headLength = 0;
  private readonly hasher: Hasher | null;
  constructor(hash: (() => Hasher) | undefined) {
    this.hasher = hash === undefined ? null : hash();
  }
  add(bytes: Uint8Array): void {
    if (this.headLength < TRANSFER_HEAD_BYTES) {
      const part = bytes.subarray(0, TRANSFER_HEAD_BYTES - this.headLength);
      this.head.set(part, this.headLength);
      this.headLength += part.length;
    }
    this.hasher?.update(bytes);
  }
  digest(): { sha256?: string } {
    return this.hasher === null ? {} : { sha256: this.hasher.digest('hex') };
  }
}

function codeOf(error: unknown): { code: string; message: string } {
  const e = error as { code?: unknown; message?: unknown };
  return { code: typeof e?.code === 'string' ? e.code : 'EIO', message: typeof e?.message === 'string' ? e.message : String(error) };
}

export class TransferTable {
  private readonly mode: 'summary' | 'full';

  constructor(
    private readonly sockets: SocketTable,
    private readonly trace: Trace,
    private readonly options: TransferOptions = {},
  ) {
    this.mode = options.data ?? 'summary';
  }

  async transfer(input: TransferInput, site: CallSite, signal: AbortSignal): Promise<TransferOutput> {
    const stream = this.sockets.stream(input.conn, input.direction === 'send' ? 'send' : 'recv', site);
    const on = { conn: stream.id, end: stream.end, direction: input.direction };
    this.trace.add({ type: 'transfer', ...site, ...on, ...(input.path !== undefined ? { path: input.path } : {}), ascii: input.ascii === true });
    const summary = new Summary(this.mode === 'full' ? undefined : this.options.hash);
    const moved = { wire: 0, file: 0, reported: 0 };
    const progress = () => {
      if (moved.wire - moved.reported < PROGRESS_BYTES) return;
      moved.reported = moved.wire;
      this.trace.add({ type: 'transferProgress', ...site, ...on, wire: moved.wire });
    };
    try {
      if (input.direction === 'send') await this.sendAll(input, stream, site, signal, summary, moved, progress);
      else await this.receiveAll(input, stream, site, signal, summary, moved, progress);
      if (this.mode !== 'full') stream.moved(input.direction === 'send' ? moved.wire : 0, input.direction === 'receive' ? moved.wire : 0);
      this.trace.add({ type: 'transferEnd', ...site, ...on, outcome: 'done', wire: moved.wire, file: moved.file, data: summary.head.slice(0, summary.headLength), ...summary.digest() });
      return { wire: moved.wire, file: moved.file };
    } catch (error) {
      const { code, message } = codeOf(error);
      const outcome = code === 'ECANCELED' || signal.aborted ? 'cancelled' : 'failed';
      this.trace.add({
        type: 'transferEnd',
        ...site,
        ...on,
        outcome,
        wire: moved.wire,
        file: moved.file,
        data: summary.head.slice(0, summary.headLength),
        ...(outcome === 'failed' ? { code, message } : {}),
      });
      throw error;
    }
  }

  private async sendAll(
    input: TransferInput,
    stream: { conn: Connection },
    site: CallSite,
    signal: AbortSignal,
    summary: Summary,
    moved: { wire: number; file: number },
    progress: () => void,
  ): Promise<void> {
    const files = this.options.files ?? null;
    if (input.bytes === undefined && (input.file === undefined || files === null)) {
      throw new TransportError('EINVAL', 'a transfer to send needs bytes or an open file (and a folder to read it from)');
    }
    // The next read is under way while this chunk is sent: the disk and the network work at once.
    const read = () => {
      const reading = files!.read(input.file!, TRANSFER_READ_BYTES, signal);
      // A read made ahead may fail after the transfer has ended (ABOR closed the file): nobody
      // awaits it then, and that must not be an unhandled rejection. Awaited, it still throws.
      reading.catch(() => undefined);
      return reading;
    };
    let next: Promise<Uint8Array> | null = input.bytes !== undefined ? Promise.resolve(input.bytes) : read();
    for (;;) {
      if (next === null) break;
      let chunk: Uint8Array;
      try {
        chunk = await next;
      } catch (error) {
        next = null;
        throw error;
      }
      next = input.bytes !== undefined || chunk.length === 0 ? null : read();
      if (chunk.length === 0) break;
      moved.file += chunk.length;
      const wire = input.ascii === true ? lfToCrlf(chunk) : chunk;
      summary.add(wire);
      let offset = 0;
      while (offset < wire.length) {
        const part = wire.subarray(offset);
        const accepted = this.mode === 'full'
          ? await this.sockets.send({ conn: input.conn, bytes: part }, site, signal)
          : // Handed over, not copied: every chunk is a fresh read buffer (or the listing, which nobody changes).
            await stream.conn.send(part, { signal, handOver: true, ...(input.idleMs !== undefined ? { timeoutMs: input.idleMs } : {}) });
        offset += accepted;
        moved.wire += accepted;
      }
      progress();
    }
  }

  private async receiveAll(
    input: TransferInput,
    stream: { conn: Connection },
    site: CallSite,
    signal: AbortSignal,
    summary: Summary,
    moved: { wire: number; file: number },
    progress: () => void,
  ): Promise<void> {
    const files = this.options.files ?? null;
    if (input.file === undefined || files === null) throw new TransportError('EINVAL', 'a transfer to receive needs an open file (and a folder to write it in)');
    let state = CRLF_TO_LF_START;
    // One write in flight while the next recv waits: the disk and the network work at once. At
    // most one: a slow disk then slows the sender down (TCP back-pressure), and memory stays bounded.
    let writing: Promise<void> = Promise.resolve();
    const write = async (bytes: Uint8Array) => {
      await writing;
      if (bytes.length === 0) return;
      moved.file += bytes.length;
      writing = files.write(input.file!, bytes, signal);
      // Seen to here at once, so a failure while the next recv waits is not an unhandled rejection;
      // it is thrown where `writing` is awaited.
      writing.catch(() => undefined);
    };
    // Two buffers in turn (recv_into): the next recv fills one while the write in flight reads the
    // other. A fresh megabyte per recv cost more than the copy into it (page faults, then garbage
    // collection: an upload took 2 s of CPU per GB). 'full' keeps every chunk in a record: fresh ones.
    const buffers = this.mode === 'full' ? null : [new Uint8Array(TRANSFER_RECV_BYTES), new Uint8Array(TRANSFER_RECV_BYTES)];
    let turn = 0;
    try {
      for (;;) {
        const timeout = input.idleMs !== undefined ? { timeoutMs: input.idleMs } : {};
        const bytes = buffers === null
          ? await this.sockets.recv({ conn: input.conn, max: TRANSFER_RECV_BYTES, ...timeout }, site, signal)
          : await stream.conn.recv(TRANSFER_RECV_BYTES, { signal, into: buffers[turn++ % 2], ...timeout });
        if (bytes.length === 0) break;
        moved.wire += bytes.length;
        summary.add(bytes);
        if (input.ascii === true) {
          const converted = crlfToLf(state, bytes);
          state = converted.rest;
          await write(converted.output);
        } else {
          await write(bytes);
        }
        progress();
      }
      if (input.ascii === true) await write(crlfToLfEnd(state));
    } finally {
      await writing;
    }
  }
}
