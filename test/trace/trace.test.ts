import { describe, expect, it } from 'vitest';
import { parseJSONL, Trace } from '../../runtime/trace/trace.ts';
import { toJson, MAX_JSON_DEPTH } from '../../runtime/trace/to-json.ts';

describe('Trace', () => {
  it('stamps records with their index and the time since the start', () => {
    let now = 100;
    const trace = new Trace({ transport: 'sim', clock: () => now, seed: 3 });
    now = 112.5;
    const seen: unknown[] = [];
    trace.subscribe((r) => seen.push(r));
    trace.add({ type: 'actor', actor: 'a', machine: 'm' });
    expect(trace.records).toEqual([
      { seq: 0, t: 0, type: 'run', version: 1, transport: 'sim', seed: 3 },
      { seq: 1, t: 12.5, type: 'actor', actor: 'a', machine: 'm' },
    ]);
    expect(seen).toEqual([trace.records[1]]);
  });

  it('gives both ends of a connection one id, and a reused address pair a new one', () => {
    const trace = new Trace({ transport: 'tcp', clock: () => 0 });
    const a = { host: '127.0.0.1', port: 50000 };
    const b = { host: '127.0.0.1', port: 12345 };
    expect(trace.connectionId('client', a, b)).toBe('c1');
    expect(trace.connectionId('server', b, a)).toBe('c1');
    expect(trace.connectionId('client', a, b)).toBe('c2');
    expect(trace.connectionId('client', { host: '::1', port: 1 }, b)).toBe('c3');
  });

  it('retains at most `retain` records besides the header, numbering on', () => {
    const trace = new Trace({ transport: 'tcp', clock: () => 0, retain: 3 });
    for (let i = 0; i < 100; i++) trace.add({ type: 'actor', actor: `a${i}`, machine: 'm' });
    expect(trace.records[0]!.type).toBe('run');
    expect(trace.records.length).toBeLessThanOrEqual(1 + 2 * 3);
    expect(trace.records.at(-1)).toMatchObject({ seq: 100, actor: 'a99' });
    const seqs = trace.records.slice(1).map((r) => r.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    expect(() => new Trace({ transport: 'tcp', clock: () => 0, retain: 0 })).toThrow(/retain must be at least 1/);
  });

  it('writes and reads JSON lines', () => {
    const trace = new Trace({ transport: 'tcp', clock: () => 0 });
    trace.add({ type: 'close', actor: 'x', listener: 'l1' });
    expect(parseJSONL(trace.toJSONL())).toEqual(trace.records);
  });

  it.each([
    ['{"seq":0', /trace line 1 is not JSON/],
    ['{"seq":0,"t":0,"type":"actor"}', /must begin with a "run" record/],
    ['{"seq":0,"t":0,"type":"run","version":2}', /version 2 is not supported/],
  ])('rejects %j', (text, message) => {
    expect(() => parseJSONL(text)).toThrow(message);
  });
});

describe('toJson', () => {
  it('turns bytes, errors and actor references into plain JSON', () => {
    const error = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    const actor = { id: 'recv', send() {}, getSnapshot() {} };
    expect(toJson({ type: 'x', output: Uint8Array.of(104, 105), error, actor, fn: () => 1, n: Infinity })).toEqual({
      type: 'x',
      output: { $bytes: 'aGk=' },
      error: { name: 'Error', message: 'refused', code: 'ECONNREFUSED' },
      actor: { $actor: 'recv' },
      n: 'Infinity',
    });
  });

  it(`stops at depth ${MAX_JSON_DEPTH}, so a cycle cannot hang it`, () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(JSON.stringify(toJson(cyclic))).toContain('…');
  });
});
