// Lesson 4's machines through xstate/graph: every state is reachable from the events the machines
// can get, and no state but `failed` is a dead end (the send loop, the reassembly loop, the one recv).
import { describe, expect, it } from 'vitest';
import { client4Machine } from '../../machines/stream/client4.ts';
import { client4onceMachine } from '../../machines/stream/client4once.ts';
import { MAX_STREAM_BYTES } from '../../machines/stream/messages.ts';
import { server4Machine } from '../../machines/stream/server4.ts';
import { bytes, deadEnds, done, failed, reachedStates, restingStatesOf, statesOnPathsTo, type GraphCase } from './graph-helpers.ts';

const ALL_SENT = 1_000_000;
const conn = { conn: 'c1', local: { host: '127.0.0.1', port: 50000 }, remote: { host: '127.0.0.1', port: 12345 } };

const server: GraphCase = {
  machine: server4Machine,
  // Two short messages keep the graph small; the loop is the same for four.
  inputs: [{ port: 12345, maxClients: 2, messages: ['ab', 'c'] }],
  events: [
    done('listen', { listener: 'l1', address: { host: '0.0.0.0', port: 12345 } }),
    done('accept', conn),
    done('send', ALL_SENT),
    done('send', 1),
    done('close'),
    done('drop'),
    done('closeListener'),
    ...['listen', 'accept', 'send', 'close', 'drop', 'closeListener'].map((id) => failed(id)),
  ],
  key: (c) => [c.message, c.sent, c.served, c.dropped],
};

const client: GraphCase = {
  machine: client4Machine,
  inputs: [{ port: 12345 }],
  events: [
    done('connect', conn),
    done('recv', bytes('Hello, ')),
    done('recv', new Uint8Array(0)),
    done('recv', new Uint8Array(MAX_STREAM_BYTES + 1)),
    done('close'),
    ...['connect', 'recv', 'close'].map((id) => failed(id)),
  ],
  key: (c) => [Math.min((c.chunks as unknown[]).length, 1), c.error !== null],
};

const once: GraphCase = {
  machine: client4onceMachine,
  inputs: [{ port: 12345 }],
  events: [done('connect', conn), done('recv', bytes('Hel')), done('close'), ...['connect', 'recv', 'close'].map((id) => failed(id))],
  key: (c) => [c.error !== null],
};

describe.each([
  ['server4', server, ['done', 'failed']],
  ['client4', client, ['done', 'failed']],
  ['client4once', once, ['done', 'failed']],
] as const)('%s state graph', (_name, c, finals) => {
  it('reaches every state', () => {
    expect(reachedStates(c)).toEqual(restingStatesOf(c));
  });

  it(`every state but failed lies on a path that ends in ${finals[0]}`, () => {
    expect(statesOnPathsTo(c, finals[0])).toEqual(restingStatesOf(c).filter((s) => s !== 'failed'));
  });

  it('from every state it can be in, it can still end', () => {
    const stuck = finals.map((f) => deadEnds(c, f));
    expect(stuck.reduce((a, b) => a.filter((x) => b.includes(x)))).toEqual([]);
  });
});
