/**
 * One terminal line per trace record, as `sockstep run` prints them:
 *
 *   [     0.000 ms] A run on the real network.
 *   [    14.212 ms] server1 listens on 127.0.0.1:35513; up to 5 clients may wait to be accepted.
 *   [    15.020 ms] server1 state accepting
 *   [  1680.619 ms] server1 c1 send 17 bytes "You are connected"
 *   client1: You are connected
 *
 * Every line comes from the one describer (runtime/trace/describe.ts and,
 * for socket records, machines/socket-calls.ts). Three records read better
 * in a short form derived from it: a state change (`server1 state
 * accepting`, from `stateText`), and send and recv (the call's short label,
 * then the bytes as escaped text). What a program prints (`print` records)
 * is shown as its own output, `actor: text`, without a time. Events print
 * nothing: the state change they cause says it.
 *
 * A recv record carries its bytes only when the sending end is outside the
 * run (the usual case here: the peer is your Python script); otherwise they
 * are in the peer's send records, which are kept here, a bounded amount,
 * to show them.
 */
import { describeSocketRecord } from '../../machines/socket-calls.ts';
import { describeRecord, stateText } from '../trace/describe.ts';
import type { RecvRecord, TraceRecord } from '../trace/records.ts';
import { SentBytes } from './sent-bytes.ts';

/** Longest text shown for one chunk; the trace file keeps every byte. */
export const MAX_SHOWN_BYTES = 80;

/** `[   12.345 ms] `: the time since the run began, right-aligned. */
export function timePrefix(t: number): string {
  return `[${t.toFixed(3).padStart(10)} ms] `;
}

/** Bytes as text where they are printable ASCII, escapes elsewhere: `"You are connected\r\n"`. */
export function showBytes(bytes: Uint8Array, total = bytes.length): string {
  let out = '';
  for (const b of bytes.subarray(0, MAX_SHOWN_BYTES)) {
    if (b === 0x0d) out += '\\r';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  const shown = Math.min(bytes.length, MAX_SHOWN_BYTES);
  return `"${out}"${total > shown ? ` …(+${(total - shown).toLocaleString('en-US')} bytes)` : ''}`;
}

/**
 * A program's printed text, safe for a terminal: control characters (an
 * escape sequence from a hostile server, say) are shown as `\x1b`, not obeyed.
 */
export function printableText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export class TerminalLines {
  private readonly sent = new SentBytes(MAX_SHOWN_BYTES);

  /** The lines for one record: none for an event, one per line of printed text, else one. */
  linesOf(r: TraceRecord): string[] {
    switch (r.type) {
      case 'event':
        return [];
      case 'print':
        return r.text.split('\n').map((line) => `${r.actor}: ${printableText(line)}`);
      case 'microstep':
        return [`${timePrefix(r.t)}${r.actor} state ${stateText(r.state)}`];
      case 'send':
        this.sent.add(r);
        return [`${timePrefix(r.t)}${r.actor} ${r.conn} ${describeSocketRecord(r).label} ${showBytes(r.data)}`];
      case 'recv':
        return [`${timePrefix(r.t)}${r.actor} ${r.conn} ${describeSocketRecord(r).label}${this.recvBytes(r)}`];
      case 'close':
      case 'reset':
        this.sent.forget(r);
        return [`${timePrefix(r.t)}${describeRecord(r)}`];
      default:
        return [`${timePrefix(r.t)}${describeRecord(r)}`];
    }
  }

  private recvBytes(r: RecvRecord): string {
    if (r.size === 0) return '';
    if (r.data !== undefined) return ` ${showBytes(r.data)}`;
    const bytes = this.sent.read(r);
    return bytes === null ? ' (its bytes are in the trace file)' : ` ${showBytes(bytes, r.size)}`;
  }
}
