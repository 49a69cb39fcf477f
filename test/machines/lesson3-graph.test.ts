// Lesson 3's machines through xstate/graph: server2 reaches every state, waiting for a free thread
// included, and none but `failed` is a dead end; session2 and client2 are lesson 2's machines
// under new names, with the same graph.
import { describe, expect, it } from 'vitest';
import { getShortestPaths } from 'xstate/graph';
import { client1aMachine } from '../../machines/commands/client1a.ts';
import { session1aMachine } from '../../machines/commands/session1a.ts';
import { client2Machine } from '../../machines/threads/client2.ts';
import { server2Machine } from '../../machines/threads/server2.ts';
import { session2Machine } from '../../machines/threads/session2.ts';
import { deadEnds, done, failed, reachedStates, restingStatesOf, type GraphCase } from './graph-helpers.ts';

const accepted = done('accept', { conn: 'c1', local: { host: '127.0.0.1', port: 12345 }, remote: { host: '127.0.0.1', port: 50000 } });

const server: GraphCase = {
  machine: server2Machine,
  inputs: [{ port: 12345, maxClients: 2, maxSessions: 1 }],
  // Passed straight through while a thread is free (or, draining, while none runs); rests otherwise.
  alsoResting: ['waitingForThread', 'draining'],
  events: [
    done('listen', { listener: 'l1', address: { host: '0.0.0.0', port: 12345 } }),
    accepted,
    done('1', { commands: 2, end: 'quit', error: null }),
    done('2', { commands: 2, end: 'quit', error: null }),
    { type: 'xstate.error.actor.1', error: new Error('a bug') },
    done('closeListener'),
    ...['listen', 'accept', 'closeListener'].map((id) => failed(id)),
  ],
  key: (c) => [c.accepted, c.running, c.served],
};

describe('server2 state graph', () => {
  it('reaches every state', () => {
    expect(reachedStates(server)).toEqual(restingStatesOf(server));
  });

  it('from every state it can be in, but failed, it can still end in done', () => {
    expect(deadEnds(server, 'done')).toEqual([]);
  });

  it('ends only once every thread it started has ended', () => {
    const options = {
      events: server.events,
      input: server.inputs[0],
      serializeState: (s: { value: unknown; context: Record<string, unknown> }) => JSON.stringify([s.value, server.key(s.context)]),
    } as never;
    const toDone = getShortestPaths(server2Machine, options).filter((p) => p.state.value === 'done');
    expect(toDone.length).toBeGreaterThan(0);
    for (const path of toDone) {
      expect(path.state.context).toMatchObject({ running: 0, accepted: 2, served: 2 });
      expect(Object.keys(path.state.children)).toEqual([]);
    }
  });
});

describe('session2 and client2 are lesson 2\'s machines under their own names', () => {
  it.each([
    ['session2', session2Machine, session1aMachine],
    ['client2', client2Machine, client1aMachine],
  ] as const)('%s has the same states and transitions', (_name, a, b) => {
    const shape = (m: typeof a | typeof b) =>
      Object.entries(m.root.states).map(([key, node]) => [key, node.transitions.size, node.invoke.map((i: { src: unknown }) => i.src), node.always?.length ?? 0]);
    expect(shape(a)).toEqual(shape(b));
    expect(a.id).not.toBe(b.id);
  });
});
