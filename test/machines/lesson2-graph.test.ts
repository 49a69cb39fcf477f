// Lesson 2's machines through xstate/graph: every state is reachable, found from the events the
// machines can get rather than by hand, and no state but `failed` is a dead end.
import { describe, expect, it } from 'vitest';
import { client1aMachine } from '../../machines/commands/client1a.ts';
import { MAX_LINE_BYTES } from '../../machines/commands/line-buffer.ts';
import { server1aMachine } from '../../machines/commands/server1a.ts';
import { session1aMachine } from '../../machines/commands/session1a.ts';
import { bytes, deadEnds, done, failed, reachedStates, restingStatesOf, statesOnPathsTo, type GraphCase } from './graph-helpers.ts';

const ALL_SENT = 1_000_000;

const session: GraphCase = {
  machine: session1aMachine,
  inputs: [{ conn: 'c1', remote: { host: '127.0.0.1', port: 50000 } }],
  events: [
    done('send', ALL_SENT),
    done('send', 1),
    done('recv', bytes('LIST\n')),
    done('recv', bytes('QUIT\r\n')),
    done('recv', bytes('HELP\n')),
    done('recv', bytes('LI')),
    done('recv', Uint8Array.of(0xff, 0x0a)),
    done('recv', bytes('x'.repeat(MAX_LINE_BYTES))),
    done('recv', new Uint8Array(0)),
    done('list', { names: ['a.txt'] }),
    done('close'),
    ...['send', 'recv', 'list', 'close'].map((id) => failed(id)),
  ],
  key: (c) => [c.lines, c.rest instanceof Uint8Array && c.rest.length > 0, c.tooLong, (c.sent as number) > 0].map((x) => (Array.isArray(x) ? x.length : x)),
};

const client: GraphCase = {
  machine: client1aMachine,
  inputs: [{ port: 12345, pauseMs: 10 }, { port: 12345, allAtOnce: true }],
  alsoResting: ['pausing'],
  events: [
    done('connect', { conn: 'c1', local: { host: '127.0.0.1', port: 50000 }, remote: { host: '127.0.0.1', port: 12345 } }),
    done('recv', bytes('+OK ready\n')),
    done('recv', bytes('+OK 1 name\na\n')),
    done('recv', bytes('+OK bye\n')),
    done('recv', bytes('+OK')),
    done('recv', new Uint8Array(0)),
    done('send', ALL_SENT),
    done('send', 1),
    done('close'),
    { type: 'xstate.after.pause.client1a.pausing' },
    ...['connect', 'recv', 'send', 'close'].map((id) => failed(id)),
  ],
  key: (c) => [c.next, (c.awaiting as unknown[]).length, (c.lines as unknown[]).length, c.error !== null, (c.sent as number) > 0],
};

const server: GraphCase = {
  machine: server1aMachine,
  inputs: [{ port: 12345, maxClients: 2 }],
  events: [
    done('listen', { listener: 'l1', address: { host: '0.0.0.0', port: 12345 } }),
    done('accept', { conn: 'c1', local: { host: '127.0.0.1', port: 12345 }, remote: { host: '127.0.0.1', port: 50000 } }),
    done('handle1', { commands: 2, end: 'quit', error: null }),
    done('handle2', { commands: 2, end: 'quit', error: null }),
    { type: 'xstate.error.actor.handle1', error: new Error('a bug') },
    done('closeListener'),
    ...['listen', 'accept', 'closeListener'].map((id) => failed(id)),
  ],
  key: (c) => [c.accepted, c.served],
};

describe.each([
  ['session1a', session, ['done']],
  ['client1a', client, ['done', 'failed']],
  ['server1a', server, ['done', 'failed']],
] as const)('%s state graph', (_name, c, finals) => {
  it('reaches every state', () => {
    expect(reachedStates(c)).toEqual(restingStatesOf(c));
  });

  it(`every state but failed lies on a path that ends in ${finals[0]}`, () => {
    const expected = restingStatesOf(c).filter((s) => s !== 'failed');
    expect(statesOnPathsTo(c, finals[0])).toEqual(expected);
  });

  it('from every state it can be in (with the context that steers it), it can still end', () => {
    const stuck = finals.map((f) => deadEnds(c, f));
    // A node is stuck only if it reaches none of the final states.
    expect(stuck.reduce((a, b) => a.filter((x) => b.includes(x)))).toEqual([]);
  });
});
