// Every state of lesson 1's machines is reachable, found by xstate/graph rather than by hand,
// and no state is a dead end: each one but failed lies on a path to success.
import { describe, expect, it } from 'vitest';
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import { client1Machine } from '../../machines/greeting/client1.ts';
import { GREETING, server1Machine } from '../../machines/greeting/server1.ts';

const done = (id: string, output?: unknown): AnyEventObject => ({ type: `xstate.done.actor.${id}`, output });
const failed = (id: string): AnyEventObject => ({ type: `xstate.error.actor.${id}`, error: { code: 'ECONNRESET', message: 'reset' } });

const serverEvents = [
  done('listen', { listener: 'l1', address: { host: '0.0.0.0', port: 12345 } }),
  done('accept', { conn: 'c1', local: { host: '127.0.0.1', port: 12345 }, remote: { host: '127.0.0.1', port: 50000 } }),
  done('send', 5),
  done('send', GREETING.length),
  done('close'),
  done('closeListener'),
  done('drop'),
  ...['listen', 'accept', 'send', 'close', 'drop', 'closeListener'].map(failed),
];
const clientEvents = [
  done('connect', { conn: 'c1', local: { host: '127.0.0.1', port: 50000 }, remote: { host: '127.0.0.1', port: 12345 } }),
  done('recv', new TextEncoder().encode('You are connected')),
  done('recv', new Uint8Array(0)),
  done('close'),
  ...['connect', 'recv', 'close'].map(failed),
];

/** States a snapshot can rest in: not the ones passed straight through by an `always` transition. */
const restingStates = (machine: AnyStateMachine) =>
  Object.entries(machine.root.states)
    .filter(([, node]) => node.always === undefined || node.always.length === 0)
    .map(([key]) => JSON.stringify(key));

const cases: [string, AnyStateMachine, AnyEventObject[], unknown][] = [
  ['server1', server1Machine, serverEvents, { port: 12345, maxClients: 2 }],
  ['client1', client1Machine, clientEvents, { port: 12345 }],
];

describe.each(cases)('%s state graph', (_name, machine, events, input) => {
  // Serialise by state value and the context fields that steer guards, so the graph stays finite.
  const serializeState = (s: { value: unknown; context: Record<string, unknown> }) =>
    JSON.stringify([s.value, s.context.sent, s.context.served, s.context.dropped, (s.context.received as Uint8Array | undefined)?.length === 0]);
  const options = { events, input, serializeState } as never;

  it('reaches every state', () => {
    const reached = new Set(getShortestPaths(machine, options).map((p) => JSON.stringify(p.state.value)));
    expect([...reached].sort()).toEqual(restingStates(machine).sort());
  });

  it('every state but failed lies on some path that ends in done', () => {
    const succeeding = getSimplePaths(machine, options).filter((p) => p.state.value === 'done');
    const passedThrough = new Set(succeeding.flatMap((p) => p.steps.map((step) => JSON.stringify(step.state.value))));
    const expected = restingStates(machine).filter((s) => s !== JSON.stringify('failed'));
    expect([...passedThrough].sort()).toEqual(expected.sort());
  });
});
