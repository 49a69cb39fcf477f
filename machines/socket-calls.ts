/**
 * The socket calls a machine can make, defined once: for each call its
 * input, its result, the trace record it leaves and the sentence that
 * describes that record. Everything else derives from this file: the
 * machines' actor types (`socketActors`), the trace records
 * (runtime/trace/records.ts), the CLI's lines and the page's captions.
 *
 *   Python                          call            record
 *   s.bind(a); s.listen(5)          listen          listen
 *   c, addr = s.accept()            accept          accept
 *   s.connect((host, port))         connect         connect
 *   n = c.send(data)                send            send
 *   data = c.recv(1024)             recv            recv     (size 0: end of data)
 *   c.shutdown(socket.SHUT_WR)      shutdown        shutdown
 *   c.close()                       close           close
 *   s.close()  (the listening one)  closeListener   closeListener
 *   (SO_LINGER 0, then close)       reset           reset
 *
 * A failed call leaves an `error` record; a call cancelled because its
 * machine left the state that made it leaves a `cancel` record.
 *
 * Sockets are plain handle ids ('l1', 'c1') in a machine's context, never
 * objects, so that the context stays plain, serialisable data.
 *
 * Pure: no `node:` import, no I/O.
 */
import { fromPromise } from 'xstate';

/** An IP address (v4 or v6, as text) and a port: Python's `(host, port)`. */
export interface Endpoint {
  host: string;
  port: number;
}

/**
 * What a connection is for, shown by the sequence diagram: FTP's `control`
 * and `data` connections, say. A listener's label goes to the connections
 * it accepts.
 */
export type ConnLabel = string;

// ---- Inputs and results --------------------------------------------------

export interface ListenInput {
  host: string;
  port: number;
  backlog: number;
  label?: ConnLabel;
}
export interface ListenOutput {
  listener: string;
  address: Endpoint;
}
export interface AcceptInput {
  listener: string;
}
export interface AcceptOutput {
  conn: string;
  local: Endpoint;
  remote: Endpoint;
}
export interface ConnectInput {
  host: string;
  port: number;
  timeoutMs?: number;
  label?: ConnLabel;
  /** Another connection this one belongs to (an FTP data connection's control connection). */
  link?: string;
}
export type ConnectOutput = AcceptOutput;
export interface SendInput {
  conn: string;
  bytes: Uint8Array;
}
export interface RecvInput {
  conn: string;
  max: number;
  timeoutMs?: number;
}
export interface ConnInput {
  conn: string;
}
export interface ListenerInput {
  listener: string;
}

/** Every call, by name: its input and its result. */
export interface SocketCalls {
  listen: { input: ListenInput; output: ListenOutput };
  accept: { input: AcceptInput; output: AcceptOutput };
  connect: { input: ConnectInput; output: ConnectOutput };
  /** Resolves with how many bytes were accepted (maybe fewer than offered). */
  send: { input: SendInput; output: number };
  /** Resolves with the bytes read; empty means end of data. */
  recv: { input: RecvInput; output: Uint8Array };
  /** Half-close: no more sends from this end (FIN), reading goes on. */
  shutdown: { input: ConnInput; output: void };
  close: { input: ConnInput; output: void };
  closeListener: { input: ListenerInput; output: void };
  /** Abort the connection: the peer sees a reset, not end of data. */
  reset: { input: ConnInput; output: void };
}
export type SocketCallName = keyof SocketCalls;
export const SOCKET_CALLS: readonly SocketCallName[] = [
  'listen',
  'accept',
  'connect',
  'send',
  'recv',
  'shutdown',
  'close',
  'closeListener',
  'reset',
];

// ---- Records -------------------------------------------------------------

/**
 * Which end of a connection made a call: the one that called connect() or
 * the one accept() returned. It says which way bytes travel; colour and
 * lanes follow the program's role instead (an FTP server connects too).
 */
export type ConnEnd = 'connector' | 'acceptor';

/** What every socket record has besides its own fields (`seq` and `t` are the trace's). */
export interface CallSite {
  /** The machine actor that made the call: its lane. */
  actor: string;
  /** The id of the state whose invoke made the call ('server1.sending'): it picks the script line. */
  at?: string;
}
interface OnConn extends CallSite {
  conn: string;
  end: ConnEnd;
}

export interface ListenRecord extends CallSite {
  type: 'listen';
  listener: string;
  address: Endpoint;
  backlog: number;
  label?: ConnLabel;
}
export interface AcceptRecord extends OnConn {
  type: 'accept';
  listener: string;
  local: Endpoint;
  remote: Endpoint;
  label?: ConnLabel;
}
export interface ConnectRecord extends OnConn {
  type: 'connect';
  local: Endpoint;
  remote: Endpoint;
  label?: ConnLabel;
  link?: string;
}
/**
 * One send call. `offset` is where its bytes start in this end's outgoing
 * stream; `data` holds the bytes accepted (and nothing else holds them).
 */
export interface SendRecord extends OnConn {
  type: 'send';
  offered: number;
  accepted: number;
  offset: number;
  data: Uint8Array;
}
/**
 * One recv call: the most it asked for and how many bytes it returned (0:
 * end of data). `offset` is where they start in the incoming stream. The
 * bytes themselves are in the sending end's `send` records when those are
 * in the trace; `data` is present only when they are not (the peer is a
 * program outside the run), so a byte is stored once.
 */
export interface RecvRecord extends OnConn {
  type: 'recv';
  max: number;
  size: number;
  offset: number;
  data?: Uint8Array;
}
export interface ShutdownRecord extends OnConn {
  type: 'shutdown';
}
export interface CloseRecord extends OnConn {
  type: 'close';
}
export interface CloseListenerRecord extends CallSite {
  type: 'closeListener';
  listener: string;
}
/** The connection was aborted: `by` says which end sent the RST. */
export interface ResetRecord extends OnConn {
  type: 'reset';
  by: 'local' | 'peer';
}
/** A call failed. `conn` and `listener` say on what, when it was on a socket. */
export interface ErrorRecord extends CallSite {
  type: 'error';
  op: SocketCallName;
  code: string;
  message: string;
  conn?: string;
  end?: ConnEnd;
  listener?: string;
}
/** A call was cancelled: its machine left the state that made it before it finished. */
export interface CancelRecord extends CallSite {
  type: 'cancel';
  op: SocketCallName;
  conn?: string;
  end?: ConnEnd;
  listener?: string;
}

export type SocketRecord =
  | ListenRecord
  | AcceptRecord
  | ConnectRecord
  | SendRecord
  | RecvRecord
  | ShutdownRecord
  | CloseRecord
  | CloseListenerRecord
  | ResetRecord
  | ErrorRecord
  | CancelRecord;
export type SocketRecordType = SocketRecord['type'];
export const SOCKET_RECORD_TYPES: ReadonlySet<string> = new Set<SocketRecordType>([
  ...SOCKET_CALLS,
  'error',
  'cancel',
]);

// ---- How records read ----------------------------------------------------

/**
 * What each transport error code means, in plain words, and what to try:
 * shown to learners beside the raw code and message.
 */
export const SOCKET_ERROR_HINTS = {
  ECONNREFUSED: 'Nothing is listening on that port. Start the server first, or check the host and port.',
  ECONNRESET: 'The other side aborted the connection (a TCP reset). It may have crashed or closed with unread data.',
  EPIPE: 'The other side has closed the connection, so these bytes cannot be delivered.',
  ETIMEDOUT: 'Nothing happened within the time limit.',
  EAGAIN: 'Nothing was ready and the socket was told not to wait (a timeout of 0). Try again later, or wait with a timeout.',
  EADDRINUSE: 'Another program is already listening on that port. Stop it, or choose another port (0 picks a free one).',
  EADDRNOTAVAIL: 'That address does not belong to this machine, so nothing can listen on it.',
  EACCES: 'Ports below 1024 need administrator rights. Use a port of 1024 or above.',
  EHOSTUNREACH: 'There is no route to that host: it is down, or a network in between is. Check the address and your connection.',
  EMFILE: 'This program has too many sockets or files open. Close the ones it no longer needs.',
  ENOTFOUND: 'That host name could not be found. Check the spelling, or use an IP address such as 127.0.0.1.',
  ECLOSED: 'This socket was already closed by our own program.',
  ECANCELED: 'The call was cancelled: the program moved on (a timeout, say) before it finished.',
  EINVAL: 'The call was given a value it cannot use.',
} as const;


/** '127.0.0.1:12345', and an IPv6 host in brackets, '[::1]:12345' (RFC 3986 section 3.2.2). */
export function endpointText(e: Endpoint): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}

/** The plain-words hint for an error code, or null for a code we do not know. */
export function hintFor(code: string | null | undefined): string | null {
  if (code == null || !Object.hasOwn(SOCKET_ERROR_HINTS, code)) return null;
  return SOCKET_ERROR_HINTS[code as keyof typeof SOCKET_ERROR_HINTS];
}

/** Thousands separated with commas; made once (toLocaleString builds a formatter on every call). */
const THOUSANDS = new Intl.NumberFormat('en-US');

/** '1 byte', '17 bytes', '1,024 bytes'. */
export function byteCount(n: number): string {
  return n === 1 ? '1 byte' : `${THOUSANDS.format(n)} bytes`;
}

/** A connection with its label: 'c2 (data)'. */
function connText(r: { conn: string; label?: string }): string {
  return r.label === undefined ? r.conn : `${r.conn} (${r.label})`;
}

/**
 * Each record as one sentence in the words of the Python socket API, and as
 * a short label for a sequence diagram's arrow. The CLI prints the sentence;
 * the page shows it as the step's caption and the label beside the arrow.
 */
export function describeSocketRecord(r: SocketRecord): { sentence: string; label: string } {
  switch (r.type) {
    case 'listen':
      return {
        sentence: `${r.actor} listens on ${endpointText(r.address)}; up to ${r.backlog} clients may wait to be accepted.`,
        label: `listen(${r.backlog}) on ${endpointText(r.address)}`,
      };
    case 'accept':
      return {
        sentence: `${r.actor} accepts ${connText(r)} from ${endpointText(r.remote)}: a new socket for this one client.`,
        label: `accept() → ${connText(r)}`,
      };
    case 'connect':
      return {
        sentence: `${r.actor} connects from ${endpointText(r.local)} to ${endpointText(r.remote)}: connection ${connText(r)} is open.`,
        label: `connect() → ${connText(r)}`,
      };
    case 'send':
      return r.accepted < r.offered
        ? {
            sentence: `${r.actor} offers ${byteCount(r.offered)} on ${r.conn}; only ${r.accepted} fit, the rest needs another send.`,
            label: `send ${byteCount(r.accepted)} of ${r.offered}`,
          }
        : { sentence: `${r.actor} sends ${byteCount(r.accepted)} on ${r.conn}.`, label: `send ${byteCount(r.accepted)}` };
    case 'recv':
      return r.size === 0
        ? {
            sentence: `${r.actor}'s recv(${r.max}) returns b'' on ${r.conn}: end of data, the other end closed its side.`,
            label: "recv → b'' (end of data)",
          }
        : { sentence: `${r.actor}'s recv(${r.max}) returns ${byteCount(r.size)} on ${r.conn}.`, label: `recv ${byteCount(r.size)}` };
    case 'shutdown':
      return {
        sentence: `${r.actor} shuts down its sending side of ${r.conn}: the other end will read end of data, and can still answer.`,
        label: 'shutdown(SHUT_WR) → FIN',
      };
    case 'close':
      return { sentence: `${r.actor} closes its end of ${r.conn}; the other end will read end of data.`, label: 'close() → FIN' };
    case 'closeListener':
      return { sentence: `${r.actor} closes listener ${r.listener}: no more clients.`, label: `close() listener ${r.listener}` };
    case 'reset':
      return r.by === 'local'
        ? { sentence: `${r.actor} resets ${r.conn}: the other end will see an error, not end of data.`, label: 'reset (RST)' }
        : { sentence: `${r.conn} was reset by the other end.`, label: 'reset by peer (RST)' };
    case 'error': {
      const hint = hintFor(r.code);
      return {
        sentence: `${r.actor}'s ${r.op} failed with ${r.code}: ${r.message}.${hint === null ? '' : ` ${hint}`}`,
        label: `${r.op} failed: ${r.code}`,
      };
    }
    case 'cancel': {
      const on = r.conn ?? r.listener;
      return {
        sentence: `${r.actor}'s ${r.op}${on === undefined ? '' : ` on ${on}`} was cancelled: the machine left the state that made it.`,
        label: `${r.op} cancelled`,
      };
    }
  }
}

// ---- The actors machines name ---------------------------------------------

/** A transport failure as plain data: what a machine keeps in its context. */
export interface SocketError {
  code: string;
  message: string;
}

function notProvided(name: string): () => Promise<never> {
  return () =>
    Promise.reject(new Error(`The '${name}' socket actor was not provided: run this machine through the runtime.`));
}

function placeholder<N extends SocketCallName>(name: N) {
  return fromPromise<SocketCalls[N]['output'], SocketCalls[N]['input']>(notProvided(name));
}

/**
 * Placeholders that machines list in `setup({ actors })`. The runtime
 * replaces each one, wherever a machine or its children name it, with the
 * run's own implementation (runtime/run-system.ts); it finds them by
 * identity, so a machine may list one under another name.
 */
export const socketActors = {
  listen: placeholder('listen'),
  accept: placeholder('accept'),
  connect: placeholder('connect'),
  send: placeholder('send'),
  recv: placeholder('recv'),
  shutdown: placeholder('shutdown'),
  close: placeholder('close'),
  closeListener: placeholder('closeListener'),
  reset: placeholder('reset'),
};

/**
 * The output of a socket actor's done event. Named guards see the event as
 * any event of the machine, so the type of `output` has to be stated here.
 */
export function outputOf<T>(event: unknown): T {
  return (event as { output: T }).output;
}

/** Turn whatever an actor rejected with into plain data. */
export function toSocketError(error: unknown): SocketError {
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return {
      code: typeof code === 'string' ? code : 'EUNKNOWN',
      message: typeof message === 'string' ? message : String(error),
    };
  }
  return { code: 'EUNKNOWN', message: String(error) };
}
