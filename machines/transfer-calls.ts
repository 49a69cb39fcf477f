/**
 * The transfer call: a whole file (or a listing) moved over a data
 * connection in ONE call, defined once as the socket calls are
 * (socket-calls.ts): its input, its result, the trace records it leaves
 * and the sentences that describe them.
 *
 *   Python (ftplib's server side, pyftpdlib)        call        records
 *   for chunk in iter(f.read, b''): conn.sendall(c)  transfer    transfer, transferProgress..., transferEnd
 *   while data := conn.recv(n): f.write(data)        transfer    (direction 'receive')
 *
 * Why one call and not a recv/send loop in the machine: a machine models
 * the protocol, not the bytes. A 1 GiB RETR stepped as 16,000 send calls
 * would be 16,000 XState events and 16,000 trace records, and the server
 * would move bytes at a fraction of the speed of a plain socket. So the
 * runtime streams the bytes (runtime/run/transfer-table.ts): big reads,
 * back-pressure from the socket, TYPE A line ends converted on the way
 * (machines/ftp/protocol/type-a.ts), a progress record every so often, and
 * cancellation through the call's AbortSignal (ABOR leaves the state that
 * invoked it). The machine sees one result.
 *
 * In the trace the data bytes are summarised (`transferEnd`: how many,
 * the first few, and their SHA-256 where the runtime can compute one);
 * a live run started with `--trace-data full` records every chunk as
 * ordinary send/recv records instead. Control bytes are never summarised.
 *
 * Pure: no `node:` import, no I/O.
 */
import { fromPromise } from 'xstate';
import { byteCount, type CallSite, type ConnEnd } from './socket-calls.ts';

// ---- Input and result -----------------------------------------------------

/** Which way the bytes go, seen from the program making the call. */
export type TransferDirection = 'send' | 'receive';

export interface TransferInput {
  /** The data connection (a socket handle). */
  conn: string;
  direction: TransferDirection;
  /**
   * send: the open file to read from its current position (openFile 'read'),
   * or `bytes` (a listing made by the machine). receive: the open file to
   * write into (openFile 'replace', 'new', 'append' or 'update').
   */
  file?: string;
  bytes?: Uint8Array;
  /** The path of `file`, for the trace. */
  path?: string;
  /** TYPE A: LF becomes CR LF on the way out, CR LF becomes LF on the way in (RFC 959 section 3.1.1.1). */
  ascii?: boolean;
  /** Give up (ETIMEDOUT) when the connection moves no byte for this long: a stalled data connection. */
  idleMs?: number;
}

export interface TransferOutput {
  /**
   * Bytes that crossed the data connection, and bytes read from or written
   * to the file (they differ in TYPE A). Numbers, not bigints: one transfer
   * would need 9 PB to pass 2^53.
   */
  wire: number;
  file: number;
}

// ---- Records ----------------------------------------------------------------

interface OnTransfer extends CallSite {
  conn: string;
  end: ConnEnd;
  direction: TransferDirection;
}

/** A transfer began. */
export interface TransferRecord extends OnTransfer {
  type: 'transfer';
  /** The file's path; absent for bytes the program made (a listing). */
  path?: string;
  ascii: boolean;
}

/** A transfer is under way: `wire` bytes so far. Recorded every so often, never per chunk. */
export interface TransferProgressRecord extends OnTransfer {
  type: 'transferProgress';
  wire: number;
}

/**
 * A transfer ended: `outcome` says how. `data` holds its first bytes on the
 * wire (at most TRANSFER_HEAD_BYTES; the trace's one bytes field, so a
 * trace file keeps them as base64), `sha256` (hex) the digest of every
 * byte on the wire, when the runtime computed one. With `--trace-data
 * full` the bytes are in send/recv records instead and `data` is empty.
 */
export interface TransferEndRecord extends OnTransfer {
  type: 'transferEnd';
  outcome: 'done' | 'cancelled' | 'failed';
  wire: number;
  file: number;
  data: Uint8Array;
  sha256?: string;
  code?: string;
  message?: string;
}

export type TransferTraceRecord = TransferRecord | TransferProgressRecord | TransferEndRecord;
export const TRANSFER_RECORD_TYPES: ReadonlySet<string> = new Set(['transfer', 'transferProgress', 'transferEnd']);

/** How many first bytes of a transfer its end record keeps. */
export const TRANSFER_HEAD_BYTES = 32;

/** Each record as one sentence and a short label. */
export function describeTransferRecord(r: TransferTraceRecord): { sentence: string; label: string } {
  const what = r.type === 'transfer' && r.path !== undefined ? `"${r.path}"` : 'the data';
  switch (r.type) {
    case 'transfer':
      return {
        sentence:
          r.direction === 'send'
            ? `${r.actor} starts sending ${what} on ${r.conn}${r.ascii ? ' as text (TYPE A: LF becomes CR LF)' : ''}, in one go: big reads, each sent when the connection has room.`
            : `${r.actor} starts receiving into ${what} from ${r.conn}${r.ascii ? ' as text (TYPE A: CR LF becomes LF)' : ''}, until the other end closes it.`,
        label: r.direction === 'send' ? 'sendfile →' : '← receive file',
      };
    case 'transferProgress':
      return {
        sentence: `${r.actor} has ${r.direction === 'send' ? 'sent' : 'received'} ${byteCount(r.wire)} on ${r.conn} so far.`,
        label: `${r.direction === 'send' ? 'sent' : 'received'} ${byteCount(r.wire)}`,
      };
    case 'transferEnd': {
      const moved = `${byteCount(r.wire)}${r.file !== r.wire ? ` (${byteCount(r.file)} in the file)` : ''}`;
      const digest = r.sha256 === undefined ? '' : `, SHA-256 ${r.sha256.slice(0, 16)}…`;
      if (r.outcome === 'done') {
        return { sentence: `${r.actor} has ${r.direction === 'send' ? 'sent' : 'received'} ${moved} on ${r.conn}${digest}: the transfer is complete.`, label: `transfer done: ${byteCount(r.wire)}` };
      }
      if (r.outcome === 'cancelled') {
        return { sentence: `${r.actor} stops the transfer on ${r.conn} after ${moved}: the machine left the state that made it (ABOR, or the control connection was lost).`, label: 'transfer cancelled' };
      }
      return { sentence: `${r.actor}'s transfer on ${r.conn} failed after ${moved} with ${r.code ?? 'an error'}: ${r.message ?? ''}`, label: `transfer failed: ${r.code ?? ''}` };
    }
  }
}

// ---- The actor machines name ------------------------------------------------

/** The placeholder machines list in `setup({ actors })`; the run binds it (runtime/run/transfer-table.ts). */
export const transferActors = {
  transfer: fromPromise<TransferOutput, TransferInput>(() =>
    Promise.reject(new Error("The 'transfer' actor was not provided: run this machine through the runtime.")),
  ),
};
