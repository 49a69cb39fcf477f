// One terminal line per trace record, from the one describer; recv bytes from the peer's sends.
import { describe, expect, it } from 'vitest';
import greeting from '../../lessons/01-greeting/lesson.ts';
import { runScenarioSim } from '../../lessons/run-scenario.ts';
import { SentBytes } from '../../runtime/cli/sent-bytes.ts';
import { MAX_SHOWN_BYTES, printableText, showBytes, TerminalLines, timePrefix } from '../../runtime/cli/terminal-lines.ts';
import { describeRecord } from '../../runtime/trace/describe.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';

type SendRecord = Extract<TraceRecord, { type: 'send' }>;
type RecvRecord = Extract<TraceRecord, { type: 'recv' }>;

const text = (s: string) => new TextEncoder().encode(s);
const send = (over: Partial<SendRecord>): SendRecord =>
  ({ seq: 1, t: 1, type: 'send', actor: 'server1', conn: 'c1', end: 'acceptor', offered: 0, accepted: 0, offset: 0, data: new Uint8Array(0), ...over }) as SendRecord;
const recv = (over: Partial<RecvRecord>): RecvRecord =>
  ({ seq: 2, t: 2, type: 'recv', actor: 'client1', conn: 'c1', end: 'connector', max: 1024, size: 0, offset: 0, ...over }) as RecvRecord;

describe('showBytes', () => {
  it('shows printable ASCII as text and escapes the rest', () => {
    expect(showBytes(text('You are connected\r\n'))).toBe('"You are connected\\r\\n"');
    expect(showBytes(Uint8Array.of(0x22, 0x5c, 0x09, 0x00, 0xff, 0x1b))).toBe('"\\"\\\\\\t\\x00\\xff\\x1b"');
  });
  it(`shows at most ${MAX_SHOWN_BYTES} bytes and says how many more there are`, () => {
    expect(showBytes(new Uint8Array(2000).fill(0x41))).toBe(`"${'A'.repeat(80)}" …(+1,920 bytes)`);
  });
});

describe('printableText', () => {
  it('keeps a hostile escape sequence from reaching the terminal', () => {
    expect(printableText('a\x1b[2Jb\tc\u009b')).toBe('a\\x1b[2Jb\tc\\x9b');
  });
});

describe('TerminalLines', () => {
  it('prints the describer\'s sentence with the time, state changes and byte calls in short', () => {
    const lines = new TerminalLines();
    const listen = { seq: 3, t: 12.3456, type: 'listen', actor: 'server1', listener: 'l1', address: { host: '127.0.0.1', port: 5 }, backlog: 5 } as TraceRecord;
    expect(lines.linesOf(listen)).toEqual([`${timePrefix(12.3456)}${describeRecord(listen)}`]);
    expect(timePrefix(12.3456)).toBe('[    12.346 ms] ');
    const step = { seq: 4, t: 1, type: 'microstep', actor: 'server1', event: 'x', state: { transfer: 'sending' }, transitions: [] } as TraceRecord;
    expect(lines.linesOf(step)).toEqual(['[     1.000 ms] server1 state transfer.sending']);
    expect(lines.linesOf(send({ offered: 17, accepted: 17, data: text('You are connected') }))).toEqual([
      '[     1.000 ms] server1 c1 send 17 bytes "You are connected"',
    ]);
    expect(lines.linesOf(recv({ size: 0 }))).toEqual(["[     2.000 ms] client1 c1 recv → b'' (end of data)"]);
  });

  it('shows what a program prints as its own output, a line each, without a time', () => {
    const print = { seq: 5, t: 9, type: 'print', actor: 'client2', text: 'a.txt\nb\x1b.txt' } as TraceRecord;
    expect(new TerminalLines().linesOf(print)).toEqual(['client2: a.txt', 'client2: b\\x1b.txt']);
  });

  it('prints nothing for an event: the state change it causes says it', () => {
    expect(new TerminalLines().linesOf({ seq: 1, t: 0, type: 'event', actor: 'a', event: { type: 'go' } })).toEqual([]);
  });

  it('takes a recv\'s bytes from its data, or from the peer\'s sends when both ends are in the run', () => {
    const lines = new TerminalLines();
    expect(lines.linesOf(recv({ size: 3, data: text('abc') }))[0]).toMatch(/client1 c1 recv 3 bytes "abc"$/);
    lines.linesOf(send({ offered: 5, accepted: 5, offset: 0, data: text('Hello') }));
    lines.linesOf(send({ offered: 6, accepted: 6, offset: 5, data: text(' world') }));
    // A recv that straddles two sends.
    expect(lines.linesOf(recv({ size: 4, offset: 3 }))[0]).toMatch(/recv 4 bytes "lo w"$/);
    expect(lines.linesOf(recv({ size: 4, offset: 7 }))[0]).toMatch(/recv 4 bytes "orld"$/);
    // Bytes no longer kept: the line says where they are.
    expect(lines.linesOf(recv({ size: 2, offset: 1 }))[0]).toMatch(/recv 2 bytes \(its bytes are in the trace file\)$/);
  });

  it('shows lesson 1 on the simulated network with the greeting on both sides', async () => {
    const records = await runScenarioSim(greeting, undefined, { seed: 1 });
    const lines = new TerminalLines();
    const all = records.flatMap((r) => lines.linesOf(r));
    expect(all.some((l) => /server1 c1 send 17 bytes "You are connected"$/.test(l))).toBe(true);
    const received = all.filter((l) => /client1 c1 recv \d+ bytes/.test(l)).map((l) => /"(.*)"$/.exec(l)![1]).join('');
    expect(received).toBe('You are connected');
  });
});

describe('SentBytes', () => {
  it('keeps at most its bound, dropping the oldest, and lets go of what was read or closed', () => {
    const sent = new SentBytes(80, 10);
    sent.add(send({ offset: 0, data: text('abcdef') }));
    sent.add(send({ offset: 6, data: text('ghijkl') }));
    expect(sent.keptBytes).toBe(6);
    expect(sent.read(recv({ offset: 6, size: 3 }))).toEqual(text('ghi'));
    expect(sent.keptBytes).toBe(6);
    expect(sent.read(recv({ offset: 9, size: 3 }))).toEqual(text('jkl'));
    expect(sent.keptBytes).toBe(0);
    sent.add(send({ offset: 12, data: text('mn') }));
    sent.forget({ type: 'close', actor: 'client1', conn: 'c1', end: 'connector' });
    expect(sent.keptBytes).toBe(0);
  });

  it('bounds a stream whose reader is outside the run', () => {
    const sent = new SentBytes(80);
    for (let i = 0; i < 100; i++) sent.add(send({ offset: i * 65536, data: new Uint8Array(65536) }));
    expect(sent.keptBytes).toBeLessThanOrEqual(1024 * 1024);
  });
});
