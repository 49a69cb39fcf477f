// One client's conversation (session1a / session2) through XState's pure transition functions: no sockets.
import { describe, expect, it } from 'vitest';
import { initialTransition, transition, type AnyEventObject } from 'xstate';
import { MAX_LINE_BYTES } from '../../machines/commands/line-buffer.ts';
import { GOODBYE, GREETING, NOT_TEXT, TOO_LONG, UNKNOWN_COMMAND } from '../../machines/commands/list-protocol.ts';
import { session1aMachine } from '../../machines/commands/session1a.ts';
import { session2Machine } from '../../machines/threads/session2.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const done = (id: string, output?: unknown): AnyEventObject => ({ type: `xstate.done.actor.${id}`, output });
const failed = (id: string, code: string): AnyEventObject => ({ type: `xstate.error.actor.${id}`, error: { code, message: `${code} from the test` } });
const input = { conn: 'c1', remote: { host: '127.0.0.1', port: 50000 } };

interface Step {
  state: unknown;
  /** The calls started at this step: src and input. */
  calls: { src: string; input: Record<string, unknown> }[];
  prints: string[];
  snapshot: ReturnType<typeof initialTransition<typeof session1aMachine>>[0];
}

/** Feed events; after each, answer every send in full unless `partial` says otherwise. */
function play(events: AnyEventObject[], machine = session1aMachine): Step[] {
  let [snapshot, actions] = initialTransition(machine, input);
  const steps: Step[] = [];
  const record = () =>
    steps.push({
      state: snapshot.value,
      snapshot,
      calls: actions
        .filter((a) => a.type === 'xstate.spawnChild')
        .map((a) => a.params as unknown as { src: string; input: Record<string, unknown> }),
      prints: actions
        .filter((a) => (a.type as string) === 'xstate.emit')
        .map((a) => (a.params as unknown as { event: { text: string } }).event.text),
    });
  record();
  for (const event of events) {
    [snapshot, actions] = transition(machine, snapshot, event as never);
    record();
  }
  return steps;
}

/** What a send step offers, as text. */
const offered = (step: Step) => dec(step.calls.find((c) => c.src === 'send')!.input.bytes as Uint8Array);
const sent = (text: string) => done('send', enc(text).length);

describe('session machine', () => {
  it('greets first, with the whole greeting line', () => {
    const [first] = play([]);
    expect(first!.state).toBe('greeting');
    expect(offered(first!)).toBe(`${GREETING}\n`);
  });

  it('answers LIST with the listing of its folder, then QUIT with a goodbye, and closes', () => {
    const steps = play([
      sent(`${GREETING}\n`),
      done('recv', enc('LIST\n')),
      done('list', { names: ['a.txt', 'two\nlines'] }),
      sent('+OK 2 names\na.txt\ntwo\\nlines\n'),
      done('recv', enc('QUIT\n')),
      sent(`${GOODBYE}\n`),
      done('close'),
    ]);
    expect(steps.map((s) => s.state)).toEqual(['greeting', 'reading', 'listing', 'sendingListing', 'reading', 'sayingGoodbye', 'closing', 'done']);
    expect(steps[2]!.calls).toEqual([expect.objectContaining({ src: 'list', input: { path: '.' } })]);
    expect(offered(steps[3]!)).toBe('+OK 2 names\na.txt\ntwo\\nlines\n');
    expect(offered(steps[5]!)).toBe(`${GOODBYE}\n`);
    expect(steps.at(-1)!.snapshot.output).toEqual({ commands: 2, end: 'quit', error: null });
    expect(steps.flatMap((s) => s.prints)).toEqual(['127.0.0.1 port 50000: LIST', '127.0.0.1 port 50000: QUIT']);
  });

  it('reads again when a recv brings only part of a command', () => {
    const steps = play([sent(`${GREETING}\n`), done('recv', enc('QU')), done('recv', enc('IT\r\n'))]);
    expect(steps.map((s) => s.state)).toEqual(['greeting', 'reading', 'reading', 'sayingGoodbye']);
  });

  it('answers two commands from one recv in order, without reading in between', () => {
    const steps = play([sent(`${GREETING}\n`), done('recv', enc('help\r\nquit\r\n')), sent(`${UNKNOWN_COMMAND}\n`)]);
    expect(steps.map((s) => s.state)).toEqual(['greeting', 'reading', 'refusingCommand', 'sayingGoodbye']);
    expect(offered(steps[2]!)).toBe(`${UNKNOWN_COMMAND}\n`);
  });

  it('offers the rest of a reply again after a partial send (sendall)', () => {
    const steps = play([done('send', 5), done('send', 3)]);
    expect(steps.map((s) => s.state)).toEqual(['greeting', 'greeting', 'greeting']);
    expect(offered(steps[1]!)).toBe(`${GREETING}\n`.slice(5));
    expect(offered(steps[2]!)).toBe(`${GREETING}\n`.slice(8));
  });

  it('answers a line that is not UTF-8 with an error line and reads on', () => {
    const steps = play([sent(`${GREETING}\n`), done('recv', Uint8Array.of(0x4c, 0xff, 0x0a)), sent(`${NOT_TEXT}\n`)]);
    expect(steps.map((s) => s.state)).toEqual(['greeting', 'reading', 'refusingBytes', 'reading']);
    expect(offered(steps[2]!)).toBe(`${NOT_TEXT}\n`);
  });

  it(`closes after an error line when ${MAX_LINE_BYTES} bytes come with no newline`, () => {
    const steps = play([
      sent(`${GREETING}\n`),
      done('recv', enc('x'.repeat(1024))),
      done('recv', enc('x'.repeat(1024))),
      done('recv', enc('x'.repeat(1024))),
      done('recv', enc('x'.repeat(1024))),
      sent(`${TOO_LONG}\n`),
      done('close'),
    ]);
    expect(steps.map((s) => s.state)).toEqual(['greeting', 'reading', 'reading', 'reading', 'reading', 'refusingLongLine', 'closing', 'done']);
    expect(offered(steps[5]!)).toBe(`${TOO_LONG}\n`);
    expect(steps.at(-1)!.snapshot.output).toMatchObject({ end: 'tooLong' });
  });

  it('answers the commands before an overlong line, then refuses it', () => {
    const steps = play([sent(`${GREETING}\n`), done('recv', enc(`LIST\n${'x'.repeat(MAX_LINE_BYTES)}`)), done('list', { names: [] })]);
    expect(steps.map((s) => s.state)).toEqual(['greeting', 'reading', 'listing', 'sendingListing']);
    const after = play([sent(`${GREETING}\n`), done('recv', enc(`LIST\n${'x'.repeat(MAX_LINE_BYTES)}`)), done('list', { names: [] }), sent('+OK 0 names\n')]);
    expect(after.at(-1)!.state).toBe('refusingLongLine');
  });

  it('tells the client when the folder cannot be read, and goes on', () => {
    const steps = play([sent(`${GREETING}\n`), done('recv', enc('LIST\n')), failed('list', 'ENOENT')]);
    expect(steps.at(-1)!.state).toBe('sendingListing');
    expect(offered(steps.at(-1)!)).toBe('-ERR cannot list the folder (ENOENT)\n');
  });

  it.each([
    ['end of data mid-command', [done('recv', enc('LI')), done('recv', new Uint8Array(0))], 'vanished'],
    ['end of data between commands', [done('recv', new Uint8Array(0))], 'vanished'],
    ['a reset while reading', [failed('recv', 'ECONNRESET')], 'failed'],
  ])('a client that vanishes (%s) ends this conversation only: close, then done', (_what, events, end) => {
    const steps = play([sent(`${GREETING}\n`), ...(events as AnyEventObject[]), done('close')]);
    expect(steps.at(-2)!.state).toBe('closing');
    expect(steps.at(-1)!.state).toBe('done');
    expect(steps.at(-1)!.snapshot.output).toMatchObject({ end });
  });

  it('a failed send ends the conversation with the error, and still closes', () => {
    const steps = play([failed('send', 'EPIPE'), failed('close', 'ECLOSED')]);
    expect(steps.map((s) => s.state)).toEqual(['greeting', 'closing', 'done']);
    expect(steps.at(-1)!.snapshot.output).toEqual({ commands: 0, end: 'failed', error: { code: 'EPIPE', message: 'EPIPE from the test' } });
    expect(steps[1]!.prints).toEqual(['127.0.0.1 port 50000 dropped: EPIPE from the test']);
  });

  it('session2 is the same conversation under its own name', () => {
    const events = [sent(`${GREETING}\n`), done('recv', enc('list\nQUIT\n')), done('list', { names: ['a'] })];
    expect(play(events, session2Machine).map((s) => s.state)).toEqual(play(events).map((s) => s.state));
    expect(session2Machine.id).toBe('session2');
    expect(session1aMachine.id).toBe('session1a');
  });
});
