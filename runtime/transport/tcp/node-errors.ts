/**
 * Node reports socket failures as errors with a `code` (an errno name such
 * as 'ECONNREFUSED', a resolver code such as 'EAI_AGAIN', or one of Node's
 * own 'ERR_...'). Learners only ever see a `TransportError`, so every failure
 * of the real transport goes through `fromNodeError`.
 */
import { TransportError, type TransportErrorCode } from '../errors.ts';

const NODE_CODES: Readonly<Record<string, TransportErrorCode>> = {
  ECONNREFUSED: 'ECONNREFUSED',
  ECONNRESET: 'ECONNRESET',
  // The connection was aborted on this machine (e.g. while it waited to be accepted).
  ECONNABORTED: 'ECONNRESET',
  EPIPE: 'EPIPE',
  ETIMEDOUT: 'ETIMEDOUT',
  EADDRINUSE: 'EADDRINUSE',
  EADDRNOTAVAIL: 'EADDRNOTAVAIL',
  EACCES: 'EACCES',
  EHOSTUNREACH: 'EHOSTUNREACH',
  ENETUNREACH: 'EHOSTUNREACH',
  EHOSTDOWN: 'EHOSTUNREACH',
  EMFILE: 'EMFILE',
  ENFILE: 'EMFILE',
  EINVAL: 'EINVAL',
  ERR_SOCKET_BAD_PORT: 'EINVAL',
  // getaddrinfo(3) results: Node calls "no such name" ENOTFOUND; the others
  // mean the resolver could not answer (no DNS server reachable, for instance),
  // which for the learner is the same: that name does not lead anywhere.
  ENOTFOUND: 'ENOTFOUND',
  EAI_AGAIN: 'ENOTFOUND',
  EAI_NONAME: 'ENOTFOUND',
  EAI_NODATA: 'ENOTFOUND',
  EAI_FAIL: 'ENOTFOUND',
  // Writing after the socket was ended or destroyed: the bytes cannot be delivered.
  ERR_STREAM_WRITE_AFTER_END: 'EPIPE',
  ERR_STREAM_DESTROYED: 'EPIPE',
};

/**
 * Turn whatever Node rejected with into a `TransportError`. Codes without a
 * counterpart (ENOBUFS, ...) become `fallback`; the raw code stays
 * in the message so that nothing is hidden.
 */
export function fromNodeError(error: unknown, fallback: TransportErrorCode, what: string): TransportError {
  if (error instanceof TransportError) return error;
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
  };
  const raw = typeof code === 'string' ? code : undefined;
  const mapped = (raw !== undefined ? NODE_CODES[raw] : undefined) ?? fallback;
  const text = typeof message === 'string' && message !== '' ? message : String(raw ?? error);
  return new TransportError(mapped, `${what}: ${text}`);
}
