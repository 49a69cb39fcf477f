/**
 * A client's `--timeout S`: no call of the program waits longer than S
 * seconds (a call with a timeout of its own keeps it), and when one gives
 * up, the program's error says what it waited for, in which state, and
 * what the other side had done by then:
 *
 *   no end of data after 3 s in `receiving`: the server sent 17 bytes and never closed its side
 *   no answer after 3 s in `reading`: the server sent nothing and never closed its side
 *   no room to send after 3 s in `sending`: the server is not reading (4,194,304 bytes sent so far)
 *   no answer to connect after 3 s in `connecting`: nothing accepted the connection
 *
 * One mechanism for every client machine (the socket table applies it to
 * the program's calls), not a timeout per machine.
 *
 * Pure.
 */
import { byteCount, type SocketCallName } from '../../machines/socket-calls.ts';

export interface GiveUp {
  op: SocketCallName;
  /** The id of the state that made the call ('client1.receiving'), when known. */
  at?: string;
  ms: number;
  /** The other side, in words: 'the server'. */
  peer: string;
  /** Bytes this end had received and sent on the connection. */
  received: number;
  sent: number;
}

/** 'receiving' from 'client1.receiving' (the machine's id left out); 'transfer.data' from 'ftp.transfer.data'. */
export function stateName(at: string | undefined): string | null {
  if (at === undefined) return null;
  const dot = at.indexOf('.');
  return dot === -1 ? at : at.slice(dot + 1);
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/** The sentence a program that gave up ends with. */
export function giveUpSentence(g: GiveUp): string {
  const state = stateName(g.at);
  const where = `after ${seconds(g.ms)}${state === null ? '' : ` in \`${state}\``}`;
  switch (g.op) {
    case 'recv':
      return g.received > 0
        ? `no end of data ${where}: ${g.peer} sent ${byteCount(g.received)} and never closed its side`
        : `no answer ${where}: ${g.peer} sent nothing and never closed its side`;
    case 'send':
      return `no room to send ${where}: ${g.peer} is not reading (${byteCount(g.sent)} sent so far)`;
    case 'connect':
      return `no answer to connect ${where}: nothing accepted the connection`;
    case 'accept':
      return `no client ${where}: nobody connected`;
    default:
      return `${g.op} did not finish ${where}`;
  }
}
