/**
 * Passwords never reach the trace: the argument of every PASS command on
 * an FTP control connection is replaced by '*' in the socket records that
 * would carry it, before they are recorded.
 *
 *   C: P A S S ␠ s e c r e t CR LF      on the wire
 *      P A S S ␠ * * * * * * CR LF      in the trace (same length, so offsets and sizes stay true)
 *
 * A control connection is one labelled 'control' (the FTP listener's
 * label, or a client's connect label). The mask follows each direction of
 * each such connection as a stream, so a PASS line cut across two reads
 * (or sends) is masked whole. Every other record passes unchanged; bytes
 * are copied only when one of them is masked (the record's own array may
 * be the very bytes the transport delivers).
 *
 * The other ways a password could reach the trace are closed where they
 * are made: the session keeps it nowhere (it is checked and dropped,
 * decide.ts), and the accounts are a function in the input, which the
 * trace's JSON leaves out (config.ts).
 *
 * Pure: no `node:` import.
 */

const PASS = [0x50, 0x41, 0x53, 0x53, 0x20]; // "PASS "
const LF = 0x0a;
const CR = 0x0d;
const STAR = 0x2a;

/** Where one direction of one control connection is, byte by byte. */
interface LineState {
  /** Bytes of the current line matched against "PASS " so far; -1 when the line is not PASS. */
  matched: number;
  /** Inside a PASS argument: mask until the line ends. */
  secret: boolean;
}

/**
 * Control connections followed at once, at most: more than any server here holds open
 * (MAX_CLIENTS), so only connections long gone are forgotten.
 */
export const MAX_TRACKED_CONNECTIONS = 10_000;

/** The state of a direction whose end has closed. */
const CLOSED: LineState = Object.freeze({ matched: -1, secret: false }) as LineState;

/** The parts of a socket record the mask reads. */
interface RecordLike {
  type: string;
  conn?: string;
  end?: string;
  label?: string;
  data?: Uint8Array;
}

export class PasswordMask {
  /** Connections (trace ids) that are FTP control connections. */
  private readonly control = new Set<string>();
  /** Line state per connection and sending end ('c1 connector'). */
  private readonly lines = new Map<string, LineState>();

  /** The record as it may be traced: a copy with the password bytes masked, or the record itself. */
  apply<R extends RecordLike>(record: R): R {
    if ((record.type === 'accept' || record.type === 'connect') && record.label === 'control' && record.conn !== undefined) {
      this.control.add(record.conn);
      // A peer outside the run never leaves a close record: forget the oldest connections past the limit.
      if (this.control.size > MAX_TRACKED_CONNECTIONS) {
        const oldest = this.control.values().next().value!;
        this.control.delete(oldest);
        this.lines.delete(`${oldest} connector`);
        this.lines.delete(`${oldest} acceptor`);
      }
      return record;
    }
    if ((record.type === 'close' || record.type === 'reset') && record.conn !== undefined && this.control.has(record.conn)) {
      // This end is closed: it sends no more, and once both ends are, the connection is forgotten
      // (a server that runs for days must not keep every connection it ever had).
      const end = record.type === 'close' ? record.end : undefined;
      for (const side of end === undefined ? ['connector', 'acceptor'] : [end]) this.lines.set(`${record.conn} ${side}`, CLOSED);
      if (this.lines.get(`${record.conn} connector`) === CLOSED && this.lines.get(`${record.conn} acceptor`) === CLOSED) {
        this.lines.delete(`${record.conn} connector`);
        this.lines.delete(`${record.conn} acceptor`);
        this.control.delete(record.conn);
      }
      return record;
    }
    if ((record.type !== 'send' && record.type !== 'recv') || record.data === undefined || record.conn === undefined || !this.control.has(record.conn)) {
      return record;
    }
    // A send's bytes travel from its end; a recv's from the other end.
    const from = record.type === 'send' ? record.end : record.end === 'connector' ? 'acceptor' : 'connector';
    const key = `${record.conn} ${from}`;
    const state = this.lines.get(key) ?? { matched: 0, secret: false };
    const masked = maskBytes(record.data, state);
    this.lines.set(key, state);
    return masked === record.data ? record : { ...record, data: masked };
  }
}

/** Mask the PASS arguments in `bytes`, continuing from `state` (updated in place). Returns `bytes` itself when nothing is masked. */
export function maskBytes(bytes: Uint8Array, state: LineState): Uint8Array {
  let out: Uint8Array | null = null;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === LF) {
      state.matched = 0;
      state.secret = false;
      continue;
    }
    if (state.secret) {
      if (b === CR) continue;
      out ??= bytes.slice();
      out[i] = STAR;
      continue;
    }
    if (state.matched < 0) continue;
    // Telnet bytes (IAC ...) before a command are skipped, as the command parser skips them.
    if (state.matched === 0 && b >= 0x80) continue;
    const want = PASS[state.matched]!;
    // `| 0x20` folds ASCII letters: "pass " is PASS too (the space has the bit already).
    if ((b | 0x20) === (want | 0x20)) {
      state.matched += 1;
      if (state.matched === PASS.length) state.secret = true;
    } else {
      state.matched = -1;
    }
  }
  return out ?? bytes;
}
