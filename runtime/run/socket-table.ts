/**
 * A run's sockets: the handle ids machines hold, mapped to one transport's
 * listeners and connections, and every call recorded in the run's trace.
 * One table per run, shared by every actor in it, children included, so a
 * server's session can use the connection its server accepted.
 *
 * Each call is one method, named as in machines/socket-calls.ts, taking the
 * call's input, where it was made (`CallSite`: the actor and its state) and
 * the AbortSignal of the actor making it. On success it records the call's
 * record; on failure an `error` record (or `cancel`, when the actor's state
 * was left and the signal aborted the call) and rejects with the
 * TransportError, the one path every failure takes.
 *
 * Browser-safe.
 */
import type {
  AcceptInput,
  AcceptOutput,
  CallSite,
  ConnEnd,
  ConnInput,
  ConnectInput,
  ConnectOutput,
  ListenerInput,
  ListenInput,
  ListenOutput,
  RecvInput,
  SendInput,
  SocketCallName,
} from '../../machines/socket-calls.ts';
import { isTransportError, TransportError } from '../transport/errors.ts';
import type { Connection, Listener, Transport } from '../transport/types.ts';
import type { Trace } from '../trace/trace.ts';
import { FaultyConnection, hasFaults, type ConnFaults } from './conn-faults.ts';
import { giveUpSentence } from './give-up.ts';

/**
 * What the run asks of one program's calls (RunSystem.start's options):
 * faults on the connections it accepts or opens (conn-faults.ts), and a
 * limit on each wait that has none of its own (give-up.ts).
 */
export interface ProgramCalls {
  /** The program (its root actor's lane): fault records name it. */
  program: string;
  faults?: ConnFaults;
  /** Give up a call that waits this long, saying what it waited for. */
  giveUpMs?: number;
  /** The other side, in that sentence: 'the server'. */
  peer?: string;
}

interface OpenListener {
  listener: Listener;
  id: string;
  label?: string;
}

interface OpenConn {
  conn: Connection;
  /** The connection's id in the trace, shared by both ends. */
  id: string;
  end: ConnEnd;
  /** Bytes this end has sent (accepted, and recorded) and received so far: the next call's offset. */
  sent: number;
  received: number;
  /**
   * The other end, when this run holds it too. A recv whose bytes all lie
   * below the other end's `sent` finds them in its `send` records; its own
   * record then leaves them out, so each byte is stored once.
   */
  peer?: OpenConn;
}

function asTransportError(error: unknown): TransportError {
  if (isTransportError(error)) return error;
  return new TransportError('EINVAL', error instanceof Error ? error.message : String(error));
}

export class SocketTable {
  private readonly listeners = new Map<string, OpenListener>();
  private readonly conns = new Map<string, OpenConn>();
  /** Ends opened in this run by connection id, until both are: how an end finds its peer. */
  private readonly firstEnds = new Map<string, OpenConn>();
  private stopped = false;

  constructor(
    private readonly transport: Transport,
    private readonly trace: Trace,
  ) {}

  async listen(input: ListenInput, site: CallSite): Promise<ListenOutput> {
    const listener = await this.attempt('listen', site, {}, () => this.transport.listen(input));
    const id = this.trace.listenerId();
    const handle = await this.keep(this.listeners, id, { listener, id, ...(input.label === undefined ? {} : { label: input.label }) }, listener);
    const address = { host: listener.address.host, port: listener.address.port };
    this.trace.add({ type: 'listen', ...site, listener: id, address, backlog: input.backlog, ...labelOf(input.label) });
    return { listener: handle, address };
  }

  async accept(input: AcceptInput, site: CallSite, signal?: AbortSignal, program?: ProgramCalls): Promise<AcceptOutput> {
    const open = this.listenerOf(input.listener, 'accept', site);
    const accepted = await this.attempt('accept', site, { listener: open.id }, () => open.listener.accept({ signal }));
    const id = this.trace.connectionId('acceptor', accepted.local, accepted.remote);
    const conn = this.withFaults(accepted, id, 'acceptor', program);
    const handle = await this.keep(this.conns, id, this.end(conn, id, 'acceptor'), conn);
    const local = { ...conn.local };
    const remote = { ...conn.remote };
    this.trace.add({ type: 'accept', ...site, conn: id, end: 'acceptor', listener: open.id, local, remote, ...labelOf(open.label) });
    return { conn: handle, local, remote };
  }

  async connect(input: ConnectInput, site: CallSite, signal?: AbortSignal, program?: ProgramCalls): Promise<ConnectOutput> {
    const { label, link, ...options } = input;
    const giveUp = options.timeoutMs === undefined ? program?.giveUpMs : undefined;
    const timeout = giveUp === undefined ? {} : { timeoutMs: giveUp };
    const opened = await this.attempt('connect', site, {}, () => this.transport.connect({ ...options, ...timeout, signal }), this.gaveUp('connect', site, giveUp, program));
    const id = this.trace.connectionId('connector', opened.local, opened.remote);
    const conn = this.withFaults(opened, id, 'connector', program);
    const handle = await this.keep(this.conns, id, this.end(conn, id, 'connector'), conn);
    const local = { ...conn.local };
    const remote = { ...conn.remote };
    const linked = link === undefined ? {} : { link: this.conns.get(link)?.id ?? link };
    this.trace.add({ type: 'connect', ...site, conn: id, end: 'connector', local, remote, ...labelOf(label), ...linked });
    return { conn: handle, local, remote };
  }

  async send(input: SendInput, site: CallSite, signal?: AbortSignal, program?: ProgramCalls): Promise<number> {
    const open = this.connOf(input.conn, 'send', site);
    const { bytes } = input;
    // The transport copies what it accepts (the caller may reuse its buffer
    // at once) and lends the record that copy: the bytes are copied once.
    let data: Uint8Array | undefined;
    const onAccepted = (copy: Uint8Array) => (data = copy);
    const giveUp = program?.giveUpMs;
    const timeout = giveUp === undefined ? {} : { timeoutMs: giveUp };
    const accepted = await this.attempt('send', site, this.where(open), () => open.conn.send(bytes, { signal, onAccepted, ...timeout }), this.gaveUp('send', site, giveUp, program, open));
    data ??= new Uint8Array(bytes.subarray(0, accepted));
    const offset = open.sent;
    open.sent += accepted;
    this.trace.add({ type: 'send', ...site, ...this.where(open), offered: bytes.length, accepted, offset, data });
    return accepted;
  }

  async recv(input: RecvInput, site: CallSite, signal?: AbortSignal, program?: ProgramCalls): Promise<Uint8Array> {
    const open = this.connOf(input.conn, 'recv', site);
    const giveUp = input.timeoutMs === undefined ? program?.giveUpMs : undefined;
    const timeoutMs = input.timeoutMs ?? giveUp;
    const options = { signal, ...(timeoutMs === undefined ? {} : { timeoutMs }) };
    const bytes = await this.attempt('recv', site, this.where(open), () => open.conn.recv(input.max, options), this.gaveUp('recv', site, giveUp, program, open));
    const offset = open.received;
    open.received += bytes.length;
    const covered = open.peer !== undefined && open.peer.sent >= offset + bytes.length;
    this.trace.add({
      type: 'recv',
      ...site,
      ...this.where(open),
      max: input.max,
      size: bytes.length,
      offset,
      // recv() results are fresh arrays no one writes to again: kept as they are.
      ...(covered ? {} : { data: bytes }),
    });
    return bytes;
  }

  async shutdown(input: ConnInput, site: CallSite): Promise<void> {
    const open = this.connOf(input.conn, 'shutdown', site);
    await this.attempt('shutdown', site, this.where(open), () => open.conn.shutdown());
    this.trace.add({ type: 'shutdown', ...site, ...this.where(open) });
  }

  async close(input: ConnInput, site: CallSite): Promise<void> {
    const open = this.connOf(input.conn, 'close', site);
    this.forget(input.conn, open);
    await this.attempt('close', site, this.where(open), () => open.conn.close());
    this.trace.add({ type: 'close', ...site, ...this.where(open) });
  }

  async reset(input: ConnInput, site: CallSite): Promise<void> {
    const open = this.connOf(input.conn, 'reset', site);
    this.forget(input.conn, open);
    await this.attempt('reset', site, this.where(open), () => open.conn.reset());
    this.trace.add({ type: 'reset', ...site, ...this.where(open), by: 'local' });
  }

  async closeListener(input: ListenerInput, site: CallSite): Promise<void> {
    const open = this.listenerOf(input.listener, 'closeListener', site);
    this.listeners.delete(input.listener);
    await this.attempt('closeListener', site, { listener: open.id }, () => open.listener.close());
    this.trace.add({ type: 'closeListener', ...site, listener: open.id });
  }

  /**
   * Close every listener and connection still open (the end of a run,
   * Ctrl-C), without records: the run is over. Sockets whose opening
   * finishes later are closed as they arrive.
   */
  async closeAll(): Promise<void> {
    this.stopped = true;
    const open = [...[...this.conns.values()].map((c) => c.conn), ...[...this.listeners.values()].map((l) => l.listener)];
    this.conns.clear();
    this.firstEnds.clear();
    this.listeners.clear();
    // Closing may fail when the peer already reset; at shutdown that is not news.
    await Promise.allSettled(open.map((x) => x.close()));
  }

  /**
   * The transport connection behind a handle, for a call that moves many
   * bytes and records them itself (a transfer: runtime/run/transfer-table.ts).
   * It tells what it moved with `moved`, so the offsets of later records stay right.
   */
  stream(handle: string, op: SocketCallName, site: CallSite): { conn: Connection; id: string; end: ConnEnd; moved(sent: number, received: number): void } {
    const open = this.connOf(handle, op, site);
    return {
      conn: open.conn,
      id: open.id,
      end: open.end,
      moved: (sent, received) => {
        open.sent += sent;
        open.received += received;
      },
    };
  }

  /** How many sockets are open: for tests that check a run leaves nothing behind. */
  get openCount(): number {
    return this.conns.size + this.listeners.size;
  }

  /** A new end, linked to its peer if this run opened that too (both ends of one connection share its id). */
  private end(conn: Connection, id: string, end: ConnEnd): OpenConn {
    const open: OpenConn = { conn, id, end, sent: 0, received: 0 };
    const first = this.firstEnds.get(id);
    if (first === undefined) {
      this.firstEnds.set(id, open);
    } else {
      this.firstEnds.delete(id);
      open.peer = first;
      first.peer = open;
    }
    return open;
  }

  /** Drop a closed end, and its wait for a peer that will not come now. */
  private forget(handle: string, open: OpenConn): void {
    this.conns.delete(handle);
    if (this.firstEnds.get(open.id) === open) this.firstEnds.delete(open.id);
  }

  private where(open: OpenConn): { conn: string; end: ConnEnd } {
    return { conn: open.id, end: open.end };
  }

  /** A connection with the program's faults on it, when it has any. */
  private withFaults(conn: Connection, id: string, end: ConnEnd, program: ProgramCalls | undefined): Connection {
    if (!hasFaults(program?.faults)) return conn;
    const { trace } = this;
    return new FaultyConnection(conn, program.faults, {
      conn: id,
      end,
      program: program.program,
      clock: this.transport.clock,
      record: (fault) => trace.add(fault),
    });
  }

  /**
   * How a call that waited `giveUpMs` (the program's limit, not its own)
   * and timed out is told: what it waited for, in which state (give-up.ts).
   */
  private gaveUp(op: SocketCallName, site: CallSite, giveUpMs: number | undefined, program: ProgramCalls | undefined, open?: OpenConn) {
    if (giveUpMs === undefined) return undefined;
    return (e: TransportError): TransportError => {
      if (e.code !== 'ETIMEDOUT') return e;
      const sentence = giveUpSentence({
        op,
        ...(site.at === undefined ? {} : { at: site.at }),
        ms: giveUpMs,
        peer: program?.peer ?? 'the other program',
        received: open?.received ?? 0,
        sent: open?.sent ?? 0,
      });
      return new TransportError('ETIMEDOUT', sentence);
    };
  }

  /** Run a transport call; record its failure (or cancellation) and rethrow it as a TransportError. */
  private async attempt<T>(
    op: SocketCallName,
    site: CallSite,
    on: { conn?: string; end?: ConnEnd; listener?: string },
    call: () => Promise<T>,
    explain?: (e: TransportError) => TransportError,
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const e = explain === undefined ? asTransportError(error) : explain(asTransportError(error));
      if (e.code === 'ECANCELED') {
        this.trace.add({ type: 'cancel', ...site, op, ...on });
        throw e;
      }
      this.trace.add({ type: 'error', ...site, op, code: e.code, message: e.message, ...on });
      if (e.code === 'ECONNRESET' && on.conn !== undefined && on.end !== undefined) {
        this.trace.add({ type: 'reset', ...site, conn: on.conn, end: on.end, by: 'peer' });
      }
      throw e;
    }
  }

  /**
   * Keep a socket that was opened, under its trace id where that is free
   * (one run may hold both ends of a connection: the second end gets
   * 'c1.acceptor'). If the run stopped while it was being opened, nobody
   * will ever close it: close it now.
   */
  private async keep<T>(map: Map<string, T>, id: string, entry: T, socket: { close(): Promise<void> }): Promise<string> {
    if (this.stopped) {
      await socket.close().catch(() => undefined);
      throw new TransportError('ECLOSED', 'the run stopped while this socket was being opened');
    }
    let handle = id;
    if (map.has(handle)) handle = `${id}.${(entry as { end?: string }).end ?? 'again'}`;
    for (let n = 2; map.has(handle); n++) handle = `${id}.${n}`;
    map.set(handle, entry);
    return handle;
  }

  private connOf(handle: string, op: SocketCallName, site: CallSite): OpenConn {
    const found = this.conns.get(handle);
    if (found !== undefined) return found;
    return this.notOpen(op, site, `connection ${handle} is not open`);
  }

  private listenerOf(handle: string, op: SocketCallName, site: CallSite): OpenListener {
    const found = this.listeners.get(handle);
    if (found !== undefined) return found;
    return this.notOpen(op, site, `listener ${handle} is not open`);
  }

  private notOpen(op: SocketCallName, site: CallSite, message: string): never {
    this.trace.add({ type: 'error', ...site, op, code: 'ECLOSED', message });
    throw new TransportError('ECLOSED', message);
  }
}

function labelOf(label: string | undefined): { label?: string } {
  return label === undefined ? {} : { label };
}
