// client1 through XState's pure transition functions: no sockets, no actors started.
import { describe, expect, it } from 'vitest';
import { initialTransition, transition, type AnyEventObject } from 'xstate';
import { client1Machine, MAX_MESSAGE_BYTES, RECV_MAX } from '../../machines/greeting/client1.ts';

const done = (id: string, output: unknown): AnyEventObject => ({ type: `xstate.done.actor.${id}`, output });
const bytes = (text: string) => new TextEncoder().encode(text);
const connected = done('connect', { conn: 'c1', local: { host: '127.0.0.1', port: 50000 }, remote: { host: '127.0.0.1', port: 12345 } });

function play(events: AnyEventObject[]) {
  let [snapshot, actions] = initialTransition(client1Machine, { host: '127.0.0.1', port: 12345 });
  const states: unknown[] = [snapshot.value];
  const invoked: unknown[] = [];
  const note = () => invoked.push(...actions.filter((a) => a.type === 'xstate.spawnChild').map((a) => (a.params as unknown as { src: string; input: unknown })));
  note();
  for (const event of events) {
    [snapshot, actions] = transition(client1Machine, snapshot, event as never);
    states.push(snapshot.value);
    note();
  }
  return { snapshot, states, invoked: invoked as { src: string; input: unknown }[] };
}

describe('client1 machine', () => {
  it('connects to the given host and port first', () => {
    const { states, invoked } = play([]);
    expect(states).toEqual(['connecting']);
    expect(invoked.map((i) => [i.src, i.input])).toEqual([['connect', { host: '127.0.0.1', port: 12345 }]]);
  });

  it('reads until an empty recv, then decodes the whole message and closes', () => {
    const { states, snapshot, invoked } = play([
      connected,
      done('recv', bytes('You are ')),
      done('recv', bytes('connected')),
      done('recv', new Uint8Array(0)),
      done('close', undefined),
    ]);
    expect(states).toEqual(['connecting', 'receiving', 'receiving', 'receiving', 'closing', 'done']);
    expect(invoked.filter((i) => i.src === 'recv').map((i) => i.input)).toEqual(
      Array(3).fill({ conn: 'c1', max: RECV_MAX }),
    );
    expect(snapshot.output).toEqual({ message: 'You are connected', error: null });
  });

  it('decodes a UTF-8 character split across two reads', () => {
    const euro = bytes('€'); // three bytes
    const { snapshot } = play([
      connected,
      done('recv', euro.subarray(0, 1)),
      done('recv', euro.subarray(1)),
      done('recv', new Uint8Array(0)),
      done('close', undefined),
    ]);
    expect(snapshot.output).toEqual({ message: '€', error: null });
  });

  it(`stops reading past MAX_MESSAGE_BYTES (${MAX_MESSAGE_BYTES})`, () => {
    const big = new Uint8Array(RECV_MAX);
    const reads = Array.from({ length: MAX_MESSAGE_BYTES / RECV_MAX }, () => done('recv', big));
    const { states, snapshot } = play([connected, ...reads, done('recv', big), done('close', undefined)]);
    expect(states.slice(-3)).toEqual(['receiving', 'closing', 'failed']);
    expect(snapshot.context.error?.code).toBe('ETOOBIG');
    expect(snapshot.context.conn).toBeNull(); // closed on the way out
  });

  it.each([
    ['connect', [], 'ECONNREFUSED'],
    ['connect', [], 'ENOTFOUND'],
    ['recv', [connected], 'ECONNRESET'],
    ['close', [connected, done('recv', new Uint8Array(0))], 'ECLOSED'],
  ])('a failed %s (%s) ends in failed', (actor, before, code) => {
    const event = { type: `xstate.error.actor.${actor}`, error: { code, message: 'from the test' } };
    const { states, snapshot } = play([...(before as AnyEventObject[]), event]);
    expect(states.at(-1)).toBe('failed');
    expect((snapshot.output as { error: unknown }).error).toEqual({ code, message: 'from the test' });
  });
});
