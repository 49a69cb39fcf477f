/**
 * A long, made-up trace for the render benchmark: server1 serves one
 * client1 after another, each time sending a long greeting in many partial
 * sends that the client reads back in many recvs. Shaped like a real
 * trace of lesson 1's machines (same actors, states and record kinds),
 * with some control characters and invalid UTF-8 in the bytes.
 */
import { toBase64 } from '../../runtime/trace/bytes.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';

type Unnumbered = TraceRecord extends infer R ? (R extends TraceRecord ? Omit<R, 'seq' | 't'> : never) : never;

const SERVER = { host: '127.0.0.1', port: 12345 };

function chunk(i: number): Uint8Array {
  // Mostly text, with \r\n, sometimes a 4 KB block, sometimes bytes that are not UTF-8.
  const size = i % 17 === 0 ? 4096 : 20 + (i % 40);
  const text = new TextEncoder().encode(`chunk ${i}: ${'données '.repeat(Math.ceil(size / 9))}`.slice(0, size) + '\r\n');
  if (i % 11 === 0) text[3] = 0xff;
  return text;
}

export function syntheticTrace(records: number): TraceRecord[] {
  const out: Unnumbered[] = [{ type: 'run', version: 1, transport: 'sim', lesson: '01-greeting', seed: 1 }];
  const micro = (actor: string, event: string, from: string | null, to: string) =>
    out.push({
      type: 'microstep',
      actor,
      event,
      state: to,
      transitions: from === null ? [] : [{ source: `${actor}.${from}`, targets: [`${actor}.${to}`], event }],
    });
  const call = (actor: string, invoke: string, from: string, to: string) => {
    const event = `xstate.done.actor.${invoke}`;
    out.push({ type: 'event', actor, event: { type: event } });
    micro(actor, event, from, to);
  };

  out.push({ type: 'actor', actor: 'server1', machine: 'server1' });
  micro('server1', 'xstate.init', null, 'binding');
  out.push({ type: 'listen', actor: 'server1', listener: 'l1', addr: SERVER, backlog: 5 });
  call('server1', 'listen', 'binding', 'accepting');

  let n = 0;
  for (let client = 1; out.length < records; client++) {
    const conn = `c${client}`;
    const peer = { host: '127.0.0.1', port: 49151 + client };
    out.push({ type: 'actor', actor: 'client1', machine: 'client1' });
    micro('client1', 'xstate.init', null, 'connecting');
    out.push({ type: 'connect', actor: 'client1', conn, side: 'client', local: peer, remote: SERVER });
    call('client1', 'connect', 'connecting', 'receiving');
    out.push({ type: 'accept', actor: 'server1', conn, side: 'server', listener: 'l1', local: SERVER, remote: peer });
    call('server1', 'accept', 'accepting', 'sending');
    for (let k = 0; k < 20 && out.length < records - 20; k++, n++) {
      const bytes = chunk(n);
      const data = toBase64(bytes);
      out.push({ type: 'send', actor: 'server1', conn, side: 'server', dir: 's2c', offered: bytes.length + 100, accepted: bytes.length, data });
      call('server1', 'send', 'sending', 'sending');
      out.push({ type: 'recv', actor: 'client1', conn, side: 'client', dir: 's2c', max: 1024, data });
      call('client1', 'recv', 'receiving', 'receiving');
    }
    out.push({ type: 'close', actor: 'server1', conn, side: 'server' });
    call('server1', 'close', 'closingClient', 'accepting');
    out.push({ type: 'recv', actor: 'client1', conn, side: 'client', dir: 's2c', max: 1024, data: '' });
    out.push({ type: 'eof', actor: 'client1', conn, side: 'client', dir: 's2c' });
    call('client1', 'recv', 'receiving', 'closing');
    out.push({ type: 'close', actor: 'client1', conn, side: 'client' });
    call('client1', 'close', 'closing', 'done');
    out.push({ type: 'status', actor: 'client1', status: 'done' });
  }
  return out.slice(0, records).map((r, seq) => ({ seq, t: seq / 10, ...r }) as TraceRecord);
}
