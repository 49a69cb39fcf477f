// server1 through XState's pure transition functions: no sockets, no actors started.
import { describe, expect, it } from 'vitest';
import { initialTransition, transition, type AnyEventObject } from 'xstate';
import { GREETING, server1Machine } from '../../machines/greeting/server1.ts';

type Snapshot = ReturnType<typeof initialTransition<typeof server1Machine>>[0];

const done = (id: string, output: unknown): AnyEventObject => ({ type: `xstate.done.actor.${id}`, output });
const failed = (id: string, code: string): AnyEventObject => ({
  type: `xstate.error.actor.${id}`,
  error: { code, message: `${code} from the test` },
});

/** Feed events one by one; return every snapshot and the socket actor started at each step. */
function play(events: AnyEventObject[], input: { port: number; maxClients?: number } = { port: 12345, maxClients: 2 }) {
  let [snapshot, actions] = initialTransition(server1Machine, input);
  const steps: { state: unknown; invoked: { src: unknown; input: unknown }[]; snapshot: Snapshot }[] = [];
  const record = () =>
    steps.push({
      state: snapshot.value,
      snapshot,
      invoked: actions
        .filter((a) => a.type === 'xstate.spawnChild')
        .map((a) => ({ src: (a.params as unknown as { src: unknown }).src, input: (a.params as unknown as { input: unknown }).input })),
    });
  record();
  for (const event of events) {
    [snapshot, actions] = transition(server1Machine, snapshot, event as never);
    record();
  }
  return steps;
}

const greeting = new TextEncoder().encode(GREETING);
const listened = done('listen', { listener: 'l1', address: { host: '0.0.0.0', port: 12345 } });
const accepted = (conn: string) => done('accept', { conn, local: { host: '127.0.0.1', port: 12345 }, remote: { host: '127.0.0.1', port: 50000 } });

describe('server1 machine', () => {
  it('starts by listening with a backlog of 5 on the given port', () => {
    const [first] = play([]);
    expect(first!.state).toBe('binding');
    expect(first!.invoked).toEqual([{ src: 'listen', input: { host: '0.0.0.0', port: 12345, backlog: 5 } }]);
  });

  it('greets one client at a time and goes back to accepting', () => {
    const steps = play([listened, accepted('c1'), done('send', greeting.length), done('close', undefined)]);
    expect(steps.map((s) => s.state)).toEqual(['binding', 'accepting', 'sending', 'closingClient', 'accepting']);
    expect(steps[2]!.invoked).toEqual([{ src: 'send', input: { conn: 'c1', bytes: greeting } }]);
    expect(steps[3]!.invoked).toEqual([{ src: 'close', input: { conn: 'c1' } }]);
    expect(steps[4]!.snapshot.context.served).toBe(1);
  });

  it('offers the rest again after a partial send (sendall)', () => {
    const steps = play([listened, accepted('c1'), done('send', 5), done('send', 7), done('send', greeting.length - 12)]);
    expect(steps.map((s) => s.state)).toEqual(['binding', 'accepting', 'sending', 'sending', 'sending', 'closingClient']);
    expect(steps[3]!.invoked[0]!.input).toEqual({ conn: 'c1', bytes: greeting.subarray(5) });
    expect(steps[4]!.invoked[0]!.input).toEqual({ conn: 'c1', bytes: greeting.subarray(12) });
  });

  it('stops listening after maxClients clients and ends in done', () => {
    const one = [accepted('c1'), done('send', greeting.length), done('close', undefined)];
    const steps = play([listened, ...one, ...one, done('closeListener', undefined)]);
    expect(steps.at(-2)!.state).toBe('closingListener');
    expect(steps.at(-1)!.state).toBe('done');
    expect(steps.at(-1)!.snapshot.status).toBe('done');
    expect(steps.at(-1)!.snapshot.output).toEqual({ served: 2, dropped: 0, error: null });
  });

  it.each([
    ['listen', [], 'EADDRINUSE'],
    ['accept', [listened], 'EMFILE'],
    ['closeListener', [listened, accepted('c1'), done('send', greeting.length), done('close', undefined)], 'ECLOSED'],
  ])('a failed %s (the listening socket) ends the server in failed', (actor, before, code) => {
    const last = play([...(before as AnyEventObject[]), failed(actor as string, code as string)], { port: 12345, maxClients: 1 }).at(-1)!;
    expect(last.state).toBe('failed');
    expect(last.snapshot.status).toBe('done');
    expect(last.snapshot.context.error).toEqual({ code, message: `${code} from the test` });
  });

  it('drops a client whose connection fails mid-greeting, and serves the next', () => {
    const steps = play([listened, accepted('c1'), failed('send', 'ECONNRESET'), done('drop', undefined), accepted('c2')]);
    expect(steps.map((s) => s.state)).toEqual(['binding', 'accepting', 'sending', 'droppingClient', 'accepting', 'sending']);
    expect(steps[3]!.invoked).toEqual([{ src: 'close', input: { conn: 'c1' } }]);
    const context = steps.at(-2)!.snapshot.context;
    expect(context).toMatchObject({ served: 0, dropped: 1, conn: null, error: null });
    expect(context.clientError).toEqual({ code: 'ECONNRESET', message: 'ECONNRESET from the test' });
    expect(steps.at(-1)!.snapshot.context.clientError).toBeNull();
  });

  it.each([
    ['the drop', [failed('send', 'ECONNRESET'), failed('drop', 'ECLOSED')], { served: 0, dropped: 1 }],
    ['the close after a full greeting', [done('send', greeting.length), failed('close', 'ECONNRESET')], { served: 1, dropped: 0 }],
  ])('a failure of %s still moves on to the next client', (_what, events, counts) => {
    const last = play([listened, accepted('c1'), ...(events as AnyEventObject[])]).at(-1)!;
    expect(last.state).toBe('accepting');
    expect(last.snapshot.context).toMatchObject({ ...(counts as object), error: null, conn: null });
  });

  it('counts a dropped client towards maxClients', () => {
    const last = play([listened, accepted('c1'), failed('send', 'ECONNRESET'), done('drop', undefined)], { port: 12345, maxClients: 1 }).at(-1)!;
    expect(last.state).toBe('closingListener');
  });
});
