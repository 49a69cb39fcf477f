import { describe, expect, it } from 'vitest';
import { heldBytes, MAX_UNPAIRED_CONNECTIONS, Trace } from '../../runtime/trace/trace.ts';
import { toJson, MAX_JSON_DEPTH } from '../../runtime/trace/to-json.ts';

describe('Trace', () => {
  it('stamps records with their index and the time since the start', () => {
    let now = 100;
    const trace = new Trace({ transport: 'sim', clock: () => now, seed: 3, startedAt: 0 });
    now = 112.5;
    const seen: unknown[] = [];
    trace.subscribe((r) => seen.push(r));
    trace.add({ type: 'actor', actor: 'a', machine: 'm' });
    expect(trace.records).toEqual([
      { seq: 0, t: 0, type: 'run', version: 2, transport: 'sim', startedAt: 0, seed: 3 },
      { seq: 1, t: 12.5, type: 'actor', actor: 'a', machine: 'm' },
    ]);
    expect(seen).toEqual([trace.records[1]]);
  });

  it('dates a real run by the wall clock', () => {
    const before = Date.now();
    const trace = new Trace({ transport: 'tcp', clock: () => 0 });
    expect(trace.header.startedAt).toBeGreaterThanOrEqual(before);
    expect(trace.header.startedAt).toBeLessThanOrEqual(Date.now());
  });

  it('gives both ends of a connection one id, and a reused address pair a new one', () => {
    const trace = new Trace({ transport: 'tcp', clock: () => 0 });
    const a = { host: '127.0.0.1', port: 50000 };
    const b = { host: '127.0.0.1', port: 12345 };
    expect(trace.connectionId('connector', a, b)).toBe('c1');
    expect(trace.connectionId('acceptor', b, a)).toBe('c1');
    expect(trace.connectionId('connector', a, b)).toBe('c2');
    expect(trace.connectionId('connector', { host: '::1', port: 1 }, b)).toBe('c3');
    expect(trace.connectionId('acceptor', b, a)).toBe('c2');
  });

  it('remembers a bounded number of connections seen from one end only (a server whose clients are other programs)', () => {
    const trace = new Trace({ transport: 'tcp', clock: () => 0 });
    const server = { host: '127.0.0.1', port: 2121 };
    const client = (n: number) => ({ host: '127.0.0.1', port: 10000 + n });
    for (let n = 0; n < 3 * MAX_UNPAIRED_CONNECTIONS; n++) trace.connectionId('acceptor', server, client(n));
    expect((trace as unknown as { connIds: Map<string, unknown> }).connIds.size).toBe(MAX_UNPAIRED_CONNECTIONS);
    // A recent one still pairs with its other end; the oldest was forgotten and counts as a new connection.
    const last = 3 * MAX_UNPAIRED_CONNECTIONS - 1;
    expect(trace.connectionId('connector', client(last), server)).toBe(`c${last + 1}`);
    expect(trace.connectionId('connector', client(0), server)).toBe(`c${3 * MAX_UNPAIRED_CONNECTIONS + 1}`);
  });

  it('retains at most `retain` records besides the header, numbering on, and counts what it dropped', () => {
    const trace = new Trace({ transport: 'tcp', clock: () => 0, retain: 3 });
    for (let i = 0; i < 100; i++) trace.add({ type: 'actor', actor: `a${i}`, machine: 'm' });
    expect(trace.records[0]!.type).toBe('run');
    expect(trace.records.length).toBeLessThanOrEqual(1 + 2 * 3);
    expect(trace.records.at(-1)).toMatchObject({ seq: 100, actor: 'a99' });
    const seqs = trace.records.slice(1).map((r) => r.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    expect(trace.dropped).toBe(101 - trace.records.length);
    expect(() => new Trace({ transport: 'tcp', clock: () => 0, retain: 0 })).toThrow(/retain must be at least 1/);
  });

  it('retains at most about `retainBytes` of data however few records that is, the newest always, and counts what it dropped', () => {
    const trace = new Trace({ transport: 'tcp', clock: () => 0, retain: 1000, retainBytes: 1000 });
    const send = (i: number, size: number) =>
      trace.add({ type: 'send', actor: 'c', conn: 'c1', end: 'connector', offered: size, accepted: size, offset: i, data: new Uint8Array(size) });
    const held = () => trace.records.reduce((n, r) => n + heldBytes(r), 0);
    for (let i = 0; i < 50; i++) {
      send(i, 300);
      // Trimmed in batches: never more than twice the limit besides the newest record.
      expect(held()).toBeLessThanOrEqual(2 * 1000 + 300);
    }
    expect(trace.records[0]!.type).toBe('run');
    expect(trace.records.at(-1)).toMatchObject({ seq: 50, offset: 49 });
    expect(trace.dropped).toBe(51 - trace.records.length);
    // Records without bytes cost nothing here: `retain` still bounds them.
    for (let i = 0; i < 10; i++) trace.add({ type: 'actor', actor: `a${i}`, machine: 'm' });
    expect(trace.records.at(-1)).toMatchObject({ seq: 60 });
    // One record larger than the limit is still held: it is the newest.
    send(99, 5000);
    expect(trace.records.at(-1)).toMatchObject({ seq: 61, offered: 5000 });
    expect(held()).toBeLessThanOrEqual(2 * 1000 + 5000);
    send(100, 10);
    expect(held()).toBeLessThanOrEqual(2 * 1000 + 10);
    const seqs = trace.records.slice(1).map((r) => r.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    expect(heldBytes({ seq: 1, t: 0, type: 'actor', actor: 'a', machine: 'm' })).toBe(0);
    expect(() => new Trace({ transport: 'tcp', clock: () => 0, retainBytes: -1 })).toThrow(/retainBytes must be 0 or more/);
  });
});

describe('toJson', () => {
  it('turns errors and actor references into plain JSON, and bytes into their length (the socket record holds them)', () => {
    const error = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    const actor = { id: 'recv', send() {}, getSnapshot() {} };
    expect(toJson({ type: 'x', output: Uint8Array.of(104, 105), error, actor, fn: () => 1, n: Infinity })).toEqual({
      type: 'x',
      output: { $bytes: 2 },
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
