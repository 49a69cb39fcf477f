// server2a through XState's pure transition functions: a RETR sent line by line, no sockets, no files.
import { describe, expect, it } from 'vitest';
import { initialTransition, transition, type AnyEventObject } from 'xstate';
import { server2aMachine } from '../../machines/retr/server2a.ts';

type Snapshot = ReturnType<typeof initialTransition<typeof server2aMachine>>[0];

const done = (id: string, output?: unknown): AnyEventObject => ({ type: `xstate.done.actor.${id}`, output });
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Feed events one by one; return each snapshot with what it invoked. */
function play(events: AnyEventObject[]) {
  let [snapshot, actions] = initialTransition(server2aMachine, { host: '127.0.0.1', port: 12345, maxClients: 1 });
  const steps: { snapshot: Snapshot; invoked: { src: unknown; input: unknown }[] }[] = [];
  const record = () =>
    steps.push({
      snapshot,
      invoked: actions
        .filter((a) => a.type === 'xstate.spawnChild')
        .map((a) => ({ src: (a.params as unknown as { src: unknown }).src, input: (a.params as unknown as { input: unknown }).input })),
    });
  record();
  for (const event of events) {
    [snapshot, actions] = transition(server2aMachine, snapshot, event as never);
    record();
  }
  return steps;
}

const opened = [
  done('listen', { listener: 'l1', address: { host: '127.0.0.1', port: 12345 } }),
  done('accept', { conn: 'c1', local: { host: '127.0.0.1', port: 12345 }, remote: { host: '127.0.0.1', port: 50000 } }),
  done('recv', bytes('RETR somefile.txt\n')),
  done('openFile', { file: 'f1', size: 0n }),
  done('send', 4), // "+OK\n"
];

describe('server2a sends a file line by line', () => {
  it('sends every line of a read, in order, one send each, then the last line without "\\n" at the end of the file', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i}\n`);
    const chunk = bytes(`${lines.join('')}tail`);
    const events = [...opened, done('readFile', chunk), ...lines.map((l) => done('send', l.length)), done('readFile', new Uint8Array(0)), done('send', 4)];
    const steps = play(events);
    const sent = steps.flatMap((s) => s.invoked.filter((i) => i.src === 'send').map((i) => text((i.input as { bytes: Uint8Array }).bytes)));
    expect(sent).toEqual(['+OK\n', ...lines, 'tail']);
    const last = steps.at(-1)!.snapshot;
    expect(last.value).toBe('closingFile');
    expect(last.context.fileBytes).toBe(chunk.length);
  });

  it('walks the lines of a read by index: the list of lines is not copied for each line sent', () => {
    // A megabyte of 80-byte lines is 13,000 lines: copying what is left for each would be 85 million moves.
    const lines = Array.from({ length: 100 }, (_, i) => `${String(i).padStart(79, '.')}\n`);
    const steps = play([...opened, done('readFile', bytes(lines.join(''))), ...lines.slice(0, 50).map((l) => done('send', l.length))]);
    const sending = steps.filter((s) => s.snapshot.value === 'sendingLine').map((s) => s.snapshot.context);
    expect(sending).toHaveLength(51);
    expect(new Set(sending.map((c) => c.queue)).size).toBe(1);
    expect(sending.map((c) => c.next)).toEqual(sending.map((_, i) => i + 1));
  });
});
