// The LIST/QUIT client (client1a / client2) through XState's pure transition functions: no sockets.
import { describe, expect, it } from 'vitest';
import { initialTransition, transition, type AnyEventObject } from 'xstate';
import { client1aMachine } from '../../machines/commands/client1a.ts';
import { MAX_LISTED_NAMES } from '../../machines/commands/list-protocol.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const done = (id: string, output?: unknown): AnyEventObject => ({ type: `xstate.done.actor.${id}`, output });
const failed = (id: string, code: string): AnyEventObject => ({ type: `xstate.error.actor.${id}`, error: { code, message: `${code} from the test` } });
const connected = done('connect', { conn: 'c1', local: { host: '127.0.0.1', port: 50000 }, remote: { host: '127.0.0.1', port: 12345 } });
const recv = (text: string) => done('recv', enc(text));

function play(events: AnyEventObject[], input: Record<string, unknown> = {}) {
  let [snapshot, actions] = initialTransition(client1aMachine, { host: '127.0.0.1', port: 12345, ...input });
  const steps: { state: unknown; snapshot: typeof snapshot; calls: { src: string; input: Record<string, unknown> }[]; prints: string[] }[] = [];
  const record = () =>
    steps.push({
      state: snapshot.value,
      snapshot,
      calls: actions.filter((a) => a.type === 'xstate.spawnChild').map((a) => a.params as unknown as { src: string; input: Record<string, unknown> }),
      prints: actions.filter((a) => (a.type as string) === 'xstate.emit').map((a) => (a.params as unknown as { event: { text: string } }).event.text),
    });
  record();
  for (const event of events) {
    [snapshot, actions] = transition(client1aMachine, snapshot, event as never);
    record();
  }
  return steps;
}

const offered = (step: { calls: { src: string; input: Record<string, unknown> }[] }) =>
  dec(step.calls.find((c) => c.src === 'send')!.input.bytes as Uint8Array);

describe('command client machine', () => {
  it('reads the greeting, sends LIST, reads the whole listing, sends QUIT, reads the goodbye, closes', () => {
    const steps = play([
      connected,
      recv('+OK ready: send LIST or QUIT\n'),
      done('send', 5),
      recv('+OK 2 names\na.txt\n'),
      recv('b.txt\n'),
      done('send', 5),
      recv('+OK bye\n'),
      done('close'),
    ]);
    expect(steps.map((s) => s.state)).toEqual(['connecting', 'receiving', 'sending', 'receiving', 'receiving', 'sending', 'receiving', 'closing', 'done']);
    expect(offered(steps[2]!)).toBe('LIST\n');
    expect(offered(steps[5]!)).toBe('QUIT\n');
    expect(steps.at(-1)!.snapshot.output).toEqual({
      replies: [
        { command: null, lines: ['+OK ready: send LIST or QUIT'] },
        { command: 'LIST', lines: ['+OK 2 names', 'a.txt', 'b.txt'] },
        { command: 'QUIT', lines: ['+OK bye'] },
      ],
      error: null,
    });
    expect(steps.flatMap((s) => s.prints)).toEqual(['+OK ready: send LIST or QUIT', '> LIST', '+OK 2 names\na.txt\nb.txt', '> QUIT', '+OK bye']);
  });

  it('keeps the start of a line for the next recv: a reply in many pieces', () => {
    const steps = play([connected, recv('+OK re'), recv('ady\r'), recv('\n')]);
    expect(steps.map((s) => s.state)).toEqual(['connecting', 'receiving', 'receiving', 'receiving', 'sending']);
    expect(steps.at(-1)!.snapshot.context.replies).toEqual([{ command: null, lines: ['+OK ready'] }]);
  });

  it('sends every command at once when told to, with "\\r\\n", and takes the replies in order', () => {
    const steps = play(
      [connected, done('send', 18), recv('+OK ready\n+OK 1 name\nx\n-ERR unknown command: send LIST or QUIT\n+OK bye\n'), done('close')],
      { allAtOnce: true, crlf: true, commands: ['list', 'HELP', 'QUIT'] },
    );
    expect(steps.map((s) => s.state)).toEqual(['connecting', 'sendingAll', 'receiving', 'closing', 'done']);
    expect(offered(steps[1]!)).toBe('list\r\nHELP\r\nQUIT\r\n');
    expect((steps.at(-1)!.snapshot.output as { replies: unknown[] }).replies).toEqual([
      { command: null, lines: ['+OK ready'] },
      { command: 'list', lines: ['+OK 1 name', 'x'] },
      { command: 'HELP', lines: ['-ERR unknown command: send LIST or QUIT'] },
      { command: 'QUIT', lines: ['+OK bye'] },
    ]);
  });

  it('sends the rest of a command that did not fit, then reads', () => {
    const steps = play([connected, recv('+OK ready\n'), done('send', 2), done('send', 3)]);
    expect(steps.map((s) => s.state)).toEqual(['connecting', 'receiving', 'sending', 'sendingRest', 'receiving']);
    expect(offered(steps[3]!)).toBe('ST\n');
  });

  it('waits pauseMs before each command', () => {
    const steps = play([connected, recv('+OK ready\n')], { pauseMs: 1000 });
    expect(steps.at(-1)!.state).toBe('pausing');
  });

  it.each([
    ['the server closes before answering', [connected, recv('+OK ready\n'), done('send', 5), done('recv', new Uint8Array(0))], 'ECLOSED'],
    ['a reply line over 4096 bytes', [connected, recv('x'.repeat(4096))], 'ETOOBIG'],
    ['a listing that announces too many names', [connected, recv('+OK ready\n'), done('send', 5), recv(`+OK ${MAX_LISTED_NAMES + 1} names\n`)], 'EPROTO'],
    ['a reset', [connected, failed('recv', 'ECONNRESET')], 'ECONNRESET'],
  ])('%s: closes and ends in failed', (_what, events, code) => {
    const steps = play([...(events as AnyEventObject[]), done('close')]);
    expect(steps.at(-2)!.state).toBe('closing');
    expect(steps.at(-1)!.state).toBe('failed');
    expect((steps.at(-1)!.snapshot.output as { error: { code: string } }).error.code).toBe(code);
  });

  it('a refused connection ends in failed without a close', () => {
    const steps = play([failed('connect', 'ECONNREFUSED')]);
    expect(steps.map((s) => s.state)).toEqual(['connecting', 'failed']);
  });
});
