/**
 * Transport failures. Both transports reject with these, so a machine has a
 * single error path whatever network it runs on. Codes follow the POSIX
 * errno names a learner meets in Python's exceptions.
 *
 * Browser-safe: no `node:` import.
 */
import { SOCKET_ERROR_HINTS } from '../../machines/socket-calls.ts';

export type TransportErrorCode =
  /** Nobody listens on that port (the peer answered the SYN with RST). */
  | 'ECONNREFUSED'
  /** The peer aborted the connection (RST). */
  | 'ECONNRESET'
  /** Writing to a connection whose peer has gone. */
  | 'EPIPE'
  /** A call with a timeout did not finish in time. */
  | 'ETIMEDOUT'
  /** A call with `timeoutMs: 0` ("don't wait", Python's settimeout(0)) found nothing ready. */
  | 'EAGAIN'
  /** Another listener already has that address and port. */
  | 'EADDRINUSE'
  /** The address is not one this machine can bind. */
  | 'EADDRNOTAVAIL'
  /** Not allowed: ports below 1024 need administrator rights. */
  | 'EACCES'
  /** No route to that host or network. */
  | 'EHOSTUNREACH'
  /** This program has run out of file descriptors (too many open sockets or files). */
  | 'EMFILE'
  /** The host name could not be resolved. */
  | 'ENOTFOUND'
  /** The call was made on a socket that is already closed. */
  | 'ECLOSED'
  /** The call was cancelled before it finished (the machine left the state that made it). */
  | 'ECANCELED'
  /** Bad arguments (port out of range, max < 1, ...). */
  | 'EINVAL';

/** What happened, in plain words, for each code: defined with the socket calls, shown to learners beside the raw message. */
export const TRANSPORT_ERROR_HINTS: Record<TransportErrorCode, string> = SOCKET_ERROR_HINTS;

export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly code: TransportErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** A plain, serialisable copy for machine context and the trace. */
  toJSON(): { code: TransportErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isTransportError(value: unknown): value is TransportError {
  return value instanceof TransportError;
}

/** Ports are 0..65535; 0 means "pick one for me" when listening. */
export function checkPort(port: number, { allowZero }: { allowZero: boolean }): void {
  if (!Number.isInteger(port) || port < (allowZero ? 0 : 1) || port > 65535) {
    throw new TransportError('EINVAL', `port ${port} is out of range (${allowZero ? 0 : 1} to 65535)`);
  }
}

// ---- Checks of the arguments every transport takes ----------------------
// Both transports call these, so a bad argument gets the same answer on
// real sockets and on the simulated network.

/** recv(max): at least one byte, a whole number. */
export function checkRecvMax(max: number): void {
  if (!Number.isInteger(max) || max < 1) {
    throw new TransportError('EINVAL', `recv() needs a max of 1 or more bytes, not ${max}`);
  }
}

/** A call's timeout: absent (wait as long as it takes), or a finite number of milliseconds, 0 or more. */
export function checkTimeout(timeoutMs: number | undefined): void {
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
    throw new TransportError('EINVAL', `timeoutMs must be 0 or more milliseconds, not ${timeoutMs}`);
  }
}

/** listen(backlog): a whole number, 0 or more. */
export function checkBacklog(backlog: number): void {
  if (!Number.isInteger(backlog) || backlog < 0) {
    throw new TransportError('EINVAL', `backlog must be a whole number, 0 or more, not ${backlog}`);
  }
}

/** A call's timeout fired: only that call fails; the socket stays usable. */
export function timedOut(call: string, ms: number, what: string): TransportError {
  return new TransportError('ETIMEDOUT', `${call}(): ${what} within ${ms} ms`);
}

/**
 * `timeoutMs: 0` means "don't wait", as Python's settimeout(0) makes a
 * socket non-blocking: a call that would have to wait fails at once, like
 * Python's BlockingIOError (EAGAIN), and has no effect.
 */
export function nothingReady(call: string): TransportError {
  return new TransportError('EAGAIN', `${call}() would have to wait, and timeoutMs 0 says not to (Python: BlockingIOError)`);
}

/** The call's AbortSignal fired: it was cancelled and had no effect. */
export function cancelledError(call: string): TransportError {
  return new TransportError('ECANCELED', `${call}() was cancelled`);
}

/** A call on a connection this program already closed. */
export function closedError(call: string): TransportError {
  return new TransportError('ECLOSED', `${call}() on a connection this program already closed`);
}

/**
 * A second recv(), send() or accept() while one still waits. Only one may
 * wait at a time: otherwise a forgotten call (an actor stopped mid-recv)
 * would take bytes meant for the next one.
 */
export function concurrentCall(call: string, on = 'connection'): TransportError {
  return new TransportError('EINVAL', `${call}() is already waiting on this ${on}; await it before calling ${call}() again`);
}
