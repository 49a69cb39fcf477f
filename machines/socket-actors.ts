/**
 * The socket effects a machine may invoke, by name. Machines list the ones
 * they use in `setup({ actors })`; the runtime replaces these placeholders
 * with real implementations through `machine.provide({ actors })`, binding
 * them to a transport (real TCP or the simulated network).
 *
 * Sockets are referred to by handle ids (plain strings), never by objects,
 * so that a machine's context stays plain, serialisable data.
 *
 * Pure: no `node:` import, no I/O.
 */
import { fromPromise } from 'xstate';

export interface SocketAddress {
  host: string;
  port: number;
}

export interface ListenInput {
  host: string;
  port: number;
  backlog: number;
}
export interface ListenOutput {
  listener: string;
  address: SocketAddress;
}
export interface AcceptInput {
  listener: string;
}
export interface AcceptOutput {
  conn: string;
  peer: SocketAddress;
}
export interface ConnectInput {
  host: string;
  port: number;
  timeoutMs?: number;
}
export interface ConnectOutput {
  conn: string;
  local: SocketAddress;
  remote: SocketAddress;
}
export interface SendInput {
  conn: string;
  bytes: Uint8Array;
}
export interface RecvInput {
  conn: string;
  max: number;
  timeoutMs?: number;
}
export interface CloseInput {
  conn: string;
}
export interface CloseListenerInput {
  listener: string;
}

/** A transport failure as plain data: what a machine keeps in its context. */
export interface SocketError {
  code: string;
  message: string;
}

function notProvided(name: string): () => Promise<never> {
  return () =>
    Promise.reject(new Error(`The '${name}' socket actor was not provided: run this machine through the runtime.`));
}

/** Placeholders, replaced by the runtime. Each resolves with its output or rejects with a transport error. */
export const socketActors = {
  /** Bind and listen: Python's `s.bind((host, port)); s.listen(backlog)`. */
  listen: fromPromise<ListenOutput, ListenInput>(notProvided('listen')),
  /** Wait for a client: `c, addr = s.accept()`. */
  accept: fromPromise<AcceptOutput, AcceptInput>(notProvided('accept')),
  /** Open a connection: `s.connect((host, port))`. */
  connect: fromPromise<ConnectOutput, ConnectInput>(notProvided('connect')),
  /** One send call: `n = c.send(data)`, resolves with n, the bytes accepted. */
  send: fromPromise<number, SendInput>(notProvided('send')),
  /** One recv call: `data = c.recv(max)`, empty at end of data. */
  recv: fromPromise<Uint8Array, RecvInput>(notProvided('recv')),
  /** Close a connection: `c.close()`. */
  close: fromPromise<void, CloseInput>(notProvided('close')),
  /** Stop listening: `s.close()` on the listening socket. */
  closeListener: fromPromise<void, CloseListenerInput>(notProvided('closeListener')),
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
