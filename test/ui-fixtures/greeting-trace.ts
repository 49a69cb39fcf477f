/**
 * A hand-written trace of lesson 1 (server1 greets one client1), shaped as
 * the runtime records it. The UI's unit tests use it; it does not depend on
 * the simulated network.
 */
import { toBase64 } from '../../runtime/trace/bytes.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';

const b64 = (text: string) => toBase64(new TextEncoder().encode(text));
const server = { host: '127.0.0.1', port: 12345 };
const client = { host: '127.0.0.1', port: 49152 };
const c1 = { conn: 'c1' } as const;

type Unnumbered = TraceRecord extends infer R ? (R extends TraceRecord ? Omit<R, 'seq' | 't'> : never) : never;

const body: Unnumbered[] = [
  { type: 'run', version: 1, transport: 'sim', lesson: '01-greeting', seed: 1 },
  { type: 'actor', actor: 'server1', machine: 'server1' },
  { type: 'microstep', actor: 'server1', event: 'xstate.init', state: 'binding', transitions: [] },
  { type: 'listen', actor: 'server1', listener: 'l1', addr: server, backlog: 5 },
  { type: 'event', actor: 'server1', event: { type: 'xstate.done.actor.listen' } },
  {
    type: 'microstep', actor: 'server1', event: 'xstate.done.actor.listen', state: 'accepting',
    transitions: [{ source: 'server1.binding', targets: ['server1.accepting'], event: 'xstate.done.actor.listen' }],
  },
  { type: 'actor', actor: 'client1', machine: 'client1' },
  { type: 'microstep', actor: 'client1', event: 'xstate.init', state: 'connecting', transitions: [] },
  { type: 'connect', actor: 'client1', ...c1, side: 'client', local: client, remote: server },
  { type: 'accept', actor: 'server1', ...c1, side: 'server', listener: 'l1', local: server, remote: client },
  { type: 'event', actor: 'client1', event: { type: 'xstate.done.actor.connect' } },
  {
    type: 'microstep', actor: 'client1', event: 'xstate.done.actor.connect', state: 'receiving',
    transitions: [{ source: 'client1.connecting', targets: ['client1.receiving'], event: 'xstate.done.actor.connect' }],
  },
  { type: 'event', actor: 'server1', event: { type: 'xstate.done.actor.accept' } },
  {
    type: 'microstep', actor: 'server1', event: 'xstate.done.actor.accept', state: 'sending',
    transitions: [{ source: 'server1.accepting', targets: ['server1.sending'], event: 'xstate.done.actor.accept' }],
  },
  { type: 'send', actor: 'server1', ...c1, side: 'server', dir: 's2c', offered: 17, accepted: 17, data: b64('You are connected') },
  { type: 'event', actor: 'server1', event: { type: 'xstate.done.actor.send', output: 17 } },
  {
    type: 'microstep', actor: 'server1', event: 'xstate.done.actor.send', state: 'closingClient',
    transitions: [{ source: 'server1.sending', targets: ['server1.closingClient'], event: 'xstate.done.actor.send' }],
  },
  { type: 'recv', actor: 'client1', ...c1, side: 'client', dir: 's2c', max: 1024, data: b64('You are ') },
  { type: 'event', actor: 'client1', event: { type: 'xstate.done.actor.recv' } },
  {
    type: 'microstep', actor: 'client1', event: 'xstate.done.actor.recv', state: 'receiving',
    transitions: [{ source: 'client1.receiving', targets: ['client1.receiving'], event: 'xstate.done.actor.recv' }],
  },
  { type: 'close', actor: 'server1', ...c1, side: 'server' },
  { type: 'event', actor: 'server1', event: { type: 'xstate.done.actor.close' } },
  {
    type: 'microstep', actor: 'server1', event: 'xstate.done.actor.close', state: 'closingListener',
    transitions: [{ source: 'server1.closingClient', targets: ['server1.closingListener'], event: 'xstate.done.actor.close' }],
  },
  { type: 'recv', actor: 'client1', ...c1, side: 'client', dir: 's2c', max: 1024, data: b64('connected') },
  { type: 'event', actor: 'client1', event: { type: 'xstate.done.actor.recv' } },
  {
    type: 'microstep', actor: 'client1', event: 'xstate.done.actor.recv', state: 'receiving',
    transitions: [{ source: 'client1.receiving', targets: ['client1.receiving'], event: 'xstate.done.actor.recv' }],
  },
  { type: 'close', actor: 'server1', listener: 'l1' },
  { type: 'event', actor: 'server1', event: { type: 'xstate.done.actor.closeListener' } },
  {
    type: 'microstep', actor: 'server1', event: 'xstate.done.actor.closeListener', state: 'done',
    transitions: [{ source: 'server1.closingListener', targets: ['server1.done'], event: 'xstate.done.actor.closeListener' }],
  },
  { type: 'status', actor: 'server1', status: 'done', output: { served: 1, dropped: 0, error: null } },
  { type: 'recv', actor: 'client1', ...c1, side: 'client', dir: 's2c', max: 1024, data: '' },
  { type: 'eof', actor: 'client1', ...c1, side: 'client', dir: 's2c' },
  { type: 'event', actor: 'client1', event: { type: 'xstate.done.actor.recv' } },
  {
    type: 'microstep', actor: 'client1', event: 'xstate.done.actor.recv', state: 'closing',
    transitions: [{ source: 'client1.receiving', targets: ['client1.closing'], event: 'xstate.done.actor.recv' }],
  },
  { type: 'close', actor: 'client1', ...c1, side: 'client' },
  { type: 'event', actor: 'client1', event: { type: 'xstate.done.actor.close' } },
  {
    type: 'microstep', actor: 'client1', event: 'xstate.done.actor.close', state: 'done',
    transitions: [{ source: 'client1.closing', targets: ['client1.done'], event: 'xstate.done.actor.close' }],
  },
  { type: 'status', actor: 'client1', status: 'done', output: { message: 'You are connected', error: null } },
];

export const greetingTrace: TraceRecord[] = body.map((r, seq) => ({ seq, t: seq, ...r }) as TraceRecord);
