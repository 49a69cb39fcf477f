import { describe, expect, it } from 'vitest';
import { toBase64 } from '../runtime/trace/bytes.ts';
import type { TraceRecord } from '../runtime/trace/records.ts';
import { greetingLesson } from '../lessons/01-greeting/lesson.ts';
import { currentLine, lineTable } from '../ui/lib/script-lines.ts';
import { searchWithStep, stepFromUrl } from '../ui/lib/use-step.ts';
import { base64Size, byteRow, byteWindow } from '../ui/trace/byte-rows.ts';
import { decodeBytes, previewCut, toHex } from '../ui/trace/byte-text.ts';
import { describeStep } from '../ui/trace/describe.ts';
import { buildSequence, connsInWindow, glyphOf } from '../ui/trace/sequence.ts';
import { contextAt } from '../ui/trace/step-context.ts';
import { buildSteps, clampStep, microstepAt, recordAt, statusAt } from '../ui/trace/steps.ts';
import { isEventless } from '../ui/trace/transitions.ts';
import { greetingTrace as runGreeting } from './ui-fixtures/traces.ts';

// Lesson 1 as the page runs it: the real machines on the simulated network, seed 1.
const greetingTrace = await runGreeting();

const bytes = (...values: number[]) => new Uint8Array(values);

describe('buildSteps', () => {
  const model = buildSteps(greetingTrace);

  it('makes a step of every record but run and event records', () => {
    const steps = greetingTrace.filter((r) => r.type !== 'run' && r.type !== 'event');
    expect(model.count).toBe(steps.length);
    for (let s = 0; s < model.count; s++) expect(recordAt(model, s)).toBe(steps[s]);
    expect(model.stepOfRecord[0]).toBe(-1);
  });

  it('shows each event with the microstep it caused', () => {
    const shown: number[] = [];
    let eventless = 0;
    for (let s = 0; s < model.count; s++) {
      const r = recordAt(model, s);
      const ev = model.eventOf[s]!;
      if (r.type === 'microstep' && r.transitions.some(isEventless)) {
        // An `always` step comes later in the chain its event began: the event was shown with the first step.
        eventless++;
        expect(ev).toBe(-1);
      } else if (r.type === 'microstep') {
        expect(ev).toBeGreaterThanOrEqual(0);
        expect(greetingTrace[ev]).toMatchObject({ type: 'event', actor: r.actor, event: { type: r.event } });
        shown.push(ev);
      } else {
        expect(ev).toBe(-1);
      }
    }
    // server1's nextClient → closingListener fires by itself, in the chain that `close ✓` began.
    expect(eventless).toBe(1);
    // Every event of this run is shown, once.
    const events = greetingTrace.flatMap((r, i) => (r.type === 'event' ? [i] : []));
    expect(shown).toEqual(events);
  });

  it('knows each actor’s state and status at every step', () => {
    expect(model.actors).toEqual(['server1', 'client1']);
    expect(model.machineOf.get('client1')).toBe('client1');
    expect(microstepAt(model, 'client1', 0)).toBeNull();
    const last = model.count - 1;
    expect(microstepAt(model, 'client1', last)!.state).toBe('done');
    expect(statusAt(model, 'client1', last)!.status).toBe('done');
    expect(statusAt(model, 'client1', last - 1)).toBeNull();
    expect(microstepAt(model, 'server1', 1)!.state).toBe('binding');
  });

  it('counts the byte rows up to each step', () => {
    expect(model.byteRows.length).toBe(3); // one send, two recvs (the greeting, then b'')
    expect(model.byteRowsUpTo[0]).toBe(0);
    expect(model.byteRowsUpTo[model.count - 1]).toBe(3);
    for (let s = 1; s < model.count; s++) expect(model.byteRowsUpTo[s]).toBeGreaterThanOrEqual(model.byteRowsUpTo[s - 1]!);
  });

  it('clamps step numbers into the trace', () => {
    expect(clampStep(model, -3)).toBe(0);
    expect(clampStep(model, 1e9)).toBe(model.count - 1);
    expect(clampStep(model, Number.NaN)).toBe(0);
  });

  it('handles a trace of only a header', () => {
    const empty = buildSteps([greetingTrace[0]!]);
    expect(empty.count).toBe(0);
    expect(byteWindow(empty, 0, 5)).toEqual({ first: 0, total: 0 });
  });
});

describe('byte rows', () => {
  const model = buildSteps(greetingTrace);

  it('gives the calls up to a step, newest last, windowed', () => {
    const end = byteWindow(model, model.count - 1, 2);
    expect(end).toEqual({ first: 1, total: 3 });
    expect([1, 2].map((i) => byteRow(model, i)).map((r) => [r.call, r.actor, r.size])).toEqual([
      ['recv', 'client1', 17],
      ['recv', 'client1', 0],
    ]);
    const send = byteRow(model, 0);
    expect(send).toMatchObject({ call: 'send', side: 'server', dir: 's2c', size: 17, asked: 17, conn: 'c1' });
    expect(new TextDecoder().decode(send.preview)).toBe('You are connected');
  });

  it('decodes only a preview of a large call, without splitting a character', () => {
    const big = new TextEncoder().encode('é'.repeat(5000));
    const record = { seq: 1, t: 0, type: 'send', actor: 'server1', conn: 'c1', side: 'server', dir: 's2c', offered: big.length, accepted: big.length, data: toBase64(big) } as TraceRecord;
    const m = buildSteps([greetingTrace[0]!, record]);
    const row = byteRow(m, 0);
    expect(row.size).toBe(10000);
    expect(row.preview.length).toBe(48);
    expect(decodeBytes(row.preview)).toEqual([{ kind: 'text', text: 'é'.repeat(24) }]);
  });

  it('sizes base64 without decoding it', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 17, 1024]) expect(base64Size(toBase64(new Uint8Array(n)))).toBe(n);
  });
});

describe('byte text', () => {
  it('writes hex', () => {
    expect(toHex(bytes(0x59, 0x6f, 0x0a, 0xff))).toBe('59 6f 0a ff');
  });

  it('keeps control characters visible', () => {
    expect(decodeBytes(new TextEncoder().encode('220 ok\r\n'))).toEqual([
      { kind: 'text', text: '220 ok' },
      { kind: 'control', text: '\\r' },
      { kind: 'control', text: '\\n' },
    ]);
  });

  it('marks invalid UTF-8 bytes as hex and keeps the valid text around them', () => {
    // 'a', a lone continuation byte, 'é' (c3 a9), a truncated 3-byte sequence, 'z'
    expect(decodeBytes(bytes(0x61, 0x80, 0xc3, 0xa9, 0xe2, 0x82, 0x7a))).toEqual([
      { kind: 'text', text: 'a' },
      { kind: 'invalid', text: '\\x80' },
      { kind: 'text', text: 'é' },
      { kind: 'invalid', text: '\\xe2\\x82' },
      { kind: 'text', text: 'z' },
    ]);
    // Overlong encodings and surrogates are invalid too.
    expect(decodeBytes(bytes(0xc0, 0xaf))).toEqual([{ kind: 'invalid', text: '\\xc0\\xaf' }]);
    expect(decodeBytes(bytes(0xed, 0xa0, 0x80))).toEqual([{ kind: 'invalid', text: '\\xed\\xa0\\x80' }]);
  });

  it('cuts previews before a split character', () => {
    const euro = new TextEncoder().encode('€€'); // e2 82 ac e2 82 ac
    expect(previewCut(euro, 6)).toBe(6);
    expect(previewCut(euro, 4)).toBe(3);
    expect(previewCut(euro, 5)).toBe(3);
  });
});

describe('sequence model', () => {
  const model = buildSteps(greetingTrace);
  const seq = buildSequence(model);

  it('puts the server lane left of the client lane and gives c1 a column', () => {
    expect(seq.lanes).toEqual([
      { actor: 'server1', role: 'server' },
      { actor: 'client1', role: 'client' },
    ]);
    const c1 = seq.byConn.get('c1')!;
    expect(recordAt(model, c1.open).type).toBe('connect');
    expect(recordAt(model, c1.halfClosed!)).toMatchObject({ type: 'close', side: 'server' });
    expect(recordAt(model, c1.closed!)).toMatchObject({ type: 'close', side: 'client' });
    expect(seq.listeners).toEqual([{ listener: 'l1', actor: 'server1', open: 2, closed: expect.any(Number) }]);
  });

  it('reuses a column once a connection has closed, and finds connections in a window', () => {
    const records: TraceRecord[] = [greetingTrace[0]!];
    const ep = { host: '127.0.0.1', port: 1 };
    for (let i = 1; i <= 3; i++) {
      records.push({ seq: 0, t: 0, type: 'connect', actor: 'c', conn: `c${i}`, side: 'client', local: ep, remote: ep });
      records.push({ seq: 0, t: 0, type: 'close', actor: 'c', conn: `c${i}`, side: 'client' });
      records.push({ seq: 0, t: 0, type: 'close', actor: 's', conn: `c${i}`, side: 'server' });
    }
    const m = buildSteps(records);
    const s = buildSequence(m, { s: 'server' });
    expect(s.slots).toBe(1);
    expect(connsInWindow(s, 3, 5).map((c) => c.conn)).toEqual(['c2']);
    expect(connsInWindow(s, 2, 3).map((c) => c.conn).sort()).toEqual(['c1', 'c2']);
  });

  it('labels calls as arrows and state changes as notes', () => {
    const send = greetingTrace.find((r) => r.type === 'send')!;
    expect(glyphOf(send)).toMatchObject({ kind: 'arrow', toward: 'wire', label: 'send 17 bytes' });
    const eof = greetingTrace.find((r) => r.type === 'eof')!;
    expect(glyphOf(eof)).toMatchObject({ kind: 'arrow', toward: 'actor', label: 'end of data (FIN)' });
    const micro = greetingTrace.find((r) => r.type === 'microstep' && r.state === 'sending')!;
    expect(glyphOf(micro)).toMatchObject({ kind: 'note', label: 'accept ✓ → sending' });
  });
});

describe('describeStep', () => {
  it('says what happened in plain words', () => {
    const model = buildSteps(greetingTrace);
    const sentences = Array.from({ length: model.count }, (_, s) => {
      return describeStep(recordAt(model, s), contextAt(model, s));
    });
    expect(sentences).toContain('server1 sends 17 bytes on c1.');
    expect(sentences).toContain("client1's recv(1024) returns b'' on c1: no bytes at all.");
    expect(sentences).toContain('client1: on recv ✓, receiving → closing.');
    expect(sentences.every((s) => s.length > 10)).toBe(true);
  });
});

describe('script lines', () => {
  it('points at the Python line of each actor’s latest call', async () => {
    const { readFile } = await import('node:fs/promises');
    const server = await readFile(new URL('../lessons/01-greeting/server1.py', import.meta.url), 'utf8');
    const client = await readFile(new URL('../lessons/01-greeting/client1.py', import.meta.url), 'utf8');
    const serverTable = lineTable(server, greetingLesson.lines['server1.py']);
    const clientTable = lineTable(client, greetingLesson.lines['client1.py']);
    const lines = server.split('\n');
    expect(lines[serverTable.accept! - 1]).toContain('listening.accept()');
    expect(lines[serverTable.send! - 1]).toContain('conn.sendall(');

    const model = buildSteps(greetingTrace);
    const stepOf = (pred: (r: TraceRecord) => boolean) => model.stepOfRecord[greetingTrace.findIndex(pred)]!;
    expect(currentLine(model, 'server1', 0, serverTable)).toBeNull();
    expect(currentLine(model, 'server1', stepOf((r) => r.type === 'send'), serverTable)).toBe(serverTable.send);
    // Closing the listener is not `conn.close()`: it has a line of its own...
    const listenerClose = stepOf((r) => r.type === 'close' && r.listener !== undefined);
    expect(lines[serverTable.closeListener! - 1]).toContain('listening.close()');
    expect(currentLine(model, 'server1', listenerClose, serverTable)).toBe(serverTable.closeListener);
    // ...and without one, the line stays on the call before rather than point at a wrong one.
    const { closeListener: _, ...withoutListenerLine } = serverTable;
    expect(currentLine(model, 'server1', listenerClose, withoutListenerLine)).toBe(serverTable.close);
    expect(currentLine(model, 'client1', model.count - 1, clientTable)).toBe(clientTable.close);
    expect(currentLine(model, 'client1', stepOf((r) => r.type === 'eof'), clientTable)).toBe(clientTable.eof);
  });
});

describe('step in the URL', () => {
  it('reads and writes ?step= counted from 1', () => {
    expect(stepFromUrl('?step=12')).toBe(11);
    expect(stepFromUrl('?seed=3&step=1')).toBe(0);
    expect(stepFromUrl('?step=abc')).toBeNull();
    expect(stepFromUrl('')).toBeNull();
    expect(searchWithStep('?seed=3', 11)).toBe('?seed=3&step=12');
    expect(searchWithStep('?step=4', 0)).toBe('?step=1');
  });
});
