// Lesson 5's machines through xstate/graph, each of the three versions: every state is reachable
// from the events the machines can get, and none but `failed` is a dead end. The three differ only
// in where the file ends, which the graph shows: 2b's server closes after the file, 2a's client
// ends on a quiet 2 s, 2c's on the announced size.
import { describe, expect, it } from 'vitest';
import { client2aMachine } from '../../machines/retr/client2a.ts';
import { client2bMachine } from '../../machines/retr/client2b.ts';
import { client2cMachine } from '../../machines/retr/client2c.ts';
import { server2aMachine } from '../../machines/retr/server2a.ts';
import { server2bMachine } from '../../machines/retr/server2b.ts';
import { server2cMachine } from '../../machines/retr/server2c.ts';
import { MAX_LINE_BYTES } from '../../machines/commands/line-buffer.ts';
import { getAdjacencyMap } from 'xstate/graph';
import { bytes, deadEnds, done, failed, reachedStates, restingStatesOf, type GraphCase } from './graph-helpers.ts';

/**
 * The states with a node (state and steering context) from which some path
 * reaches `final`. With every node reachable (reachedStates), a state here
 * lies on a path from the start to `final`. Walked on the adjacency map:
 * these machines' simple paths are too many to list.
 */
function statesReaching(c: GraphCase, final: string): string[] {
  const found = new Set<string>();
  for (const input of c.inputs) {
    const serialize = (s: unknown) => {
      const snapshot = s as { value: unknown; context: Record<string, unknown> };
      return JSON.stringify([snapshot.value, c.key(snapshot.context)]);
    };
    const adjacency = getAdjacencyMap(c.machine, { events: c.events, input, serializeState: serialize } as never) as unknown as Record<
      string,
      { state: { value: unknown }; transitions: Record<string, { state: unknown }> }
    >;
    const into = new Map<string, string[]>();
    for (const [from, node] of Object.entries(adjacency)) {
      for (const t of Object.values(node.transitions)) {
        const to = serialize(t.state);
        into.set(to, [...(into.get(to) ?? []), from]);
      }
    }
    const alive = new Set(Object.keys(adjacency).filter((k) => adjacency[k]!.state.value === final));
    const queue = [...alive];
    while (queue.length > 0) for (const from of into.get(queue.pop()!) ?? []) if (!alive.has(from)) (alive.add(from), queue.push(from));
    for (const k of alive) found.add(String(adjacency[k]!.state.value));
  }
  return [...found].sort();
}

const ALL_SENT = 1_000_000;
const conn = { conn: 'c1', local: { host: '127.0.0.1', port: 50000 }, remote: { host: '127.0.0.1', port: 12345 } };

function serverCase(machine: GraphCase['machine']): GraphCase {
  return {
    machine,
    inputs: [{ port: 12345, maxClients: 1 }],
    events: [
      done('listen', { listener: 'l1', address: { host: '0.0.0.0', port: 12345 } }),
      done('accept', conn),
      done('recv', bytes('RETR a.txt\n')),
      done('recv', bytes('HELP\n')),
      done('recv', Uint8Array.of(0xff, 0x0a)),
      done('recv', bytes('x'.repeat(MAX_LINE_BYTES))),
      done('recv', new Uint8Array(0)),
      done('openFile', { file: 'f1', size: 4 }),
      done('readFile', bytes('ab\ncd')),
      done('readFile', new Uint8Array(0)),
      done('send', ALL_SENT),
      done('send', 1),
      done('closeFile'),
      done('dropFile'),
      done('close'),
      done('drop'),
      done('closeListener'),
      ...['listen', 'accept', 'recv', 'send', 'openFile', 'readFile', 'closeFile', 'dropFile', 'close', 'drop', 'closeListener'].map((id) => failed(id, id === 'openFile' ? 'ENOENT' : 'ECONNRESET')),
    ],
    key: (c) => [
      (c.lines as unknown[]).length,
      c.tooLong,
      c.file !== null,
      (c.queue as unknown[]).length,
      (c.pending as Uint8Array).length > 0,
      c.atEnd,
      (c.sent as number) > 0,
      c.served,
      c.dropped,
    ],
  };
}

function clientCase(machine: GraphCase['machine'], status: string): GraphCase {
  return {
    machine,
    inputs: [{ port: 12345 }],
    events: [
      done('connect', conn),
      done('send', ALL_SENT),
      done('send', 1),
      done('recv', bytes(`${status}\nab`)),
      done('recv', bytes('+O')),
      done('recv', bytes('-ERR no such file: somefile.txt\n')),
      done('recv', bytes('HTTP/1.1 400\n')),
      done('recv', bytes('x'.repeat(MAX_LINE_BYTES))),
      done('recv', bytes('cd')),
      done('recv', new Uint8Array(0)),
      done('openFile', { file: 'f1', size: 0 }),
      done('writeFile', 2),
      done('closeFile'),
      done('discardFile'),
      done('close'),
      { type: 'xstate.error.actor.recv', error: { code: 'ETIMEDOUT', message: 'quiet' } },
      ...['connect', 'send', 'recv', 'openFile', 'writeFile', 'closeFile', 'discardFile', 'close'].map((id) => failed(id)),
    ],
    key: (c) => {
      const head = c.head as Uint8Array;
      const headKind = head.length === 0 ? 0 : head.includes(0x0a) ? 'line' : head.length >= MAX_LINE_BYTES ? 'long' : 'part';
      return [(c.sent as number) > 0, headKind, c.size === null ? null : String(c.size), c.file !== null, (c.pending as Uint8Array).length, Math.min(c.written as number, 4), c.end, c.error === null ? null : (c.error as { code: string }).code];
    },
  };
}

describe.each([
  ['server2a', serverCase(server2aMachine)],
  ['server2b', serverCase(server2bMachine)],
  ['server2c', serverCase(server2cMachine)],
  ['client2a', clientCase(client2aMachine, '+OK')],
  ['client2b', clientCase(client2bMachine, '+OK')],
  ['client2c', clientCase(client2cMachine, '+OK 4')],
] as const)('%s state graph', (_name, c) => {
  it('reaches every state', () => {
    expect(reachedStates(c)).toEqual(restingStatesOf(c));
  });

  it('every state but failed lies on a path that ends in done; throwing the file away leads only to failed', () => {
    // A client that discards afile.txt does so because the transfer failed: it cannot end well from there.
    const failing = _name.startsWith('client') ? ['discardingFile'] : [];
    expect(statesReaching(c, 'done')).toEqual(restingStatesOf(c).filter((s) => s !== 'failed' && !failing.includes(s)));
    for (const s of failing) expect(statesReaching(c, 'failed')).toContain(s);
  });

  it('from every state it can be in, it can still end', () => {
    const stuck = ['done', 'failed'].map((f) => deadEnds(c, f));
    expect(stuck.reduce((a, b) => a.filter((x) => b.includes(x)))).toEqual([]);
  });
});
