// The bounded window of a live run's records: what it holds, what outlives
// it (the header, running actors) and what a reader is told it missed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordWindow, type RecordKind } from '../../runtime/server/record-window.ts';

const line = (seq: number, extra = '') => `{"seq":${seq}${extra}}`;

/** A window fed with these kinds of record, seq 0, 1, 2, ... */
function fed(kinds: RecordKind[], limits = { maxRecords: 5, maxBytes: 1 << 20, maxSticky: 4 }): RecordWindow {
  const w = new RecordWindow(limits);
  kinds.forEach((k, seq) => w.add(seq, line(seq), k));
  return w;
}

const RUN: RecordKind = { type: 'run' };
const PRINT: RecordKind = { type: 'print', actor: 'a' };
const actor = (name: string): RecordKind => ({ type: 'actor', actor: name });
const status = (name: string): RecordKind => ({ type: 'status', actor: name });

describe('RecordWindow', () => {
  it('holds everything while under its limits', () => {
    const w = fed([RUN, PRINT, PRINT]);
    expect(w.read(-1)).toEqual({ dropped: null, entries: [0, 1, 2].map((seq) => ({ seq, line: line(seq) })) });
    expect(w.read(1).entries.map((e) => e.seq)).toEqual([2]);
    expect(w.read(2).entries).toEqual([]);
    expect(w.read(-1, 2).entries.map((e) => e.seq)).toEqual([0, 1]);
  });

  it('keeps the newest maxRecords, the header and running actors beyond them, and says what is gone', () => {
    const w = fed([RUN, actor('server'), actor('client'), PRINT, status('client'), PRINT, PRINT, PRINT, PRINT, PRINT]);
    expect(w.size).toBe(5);
    expect(w.firstSeq).toBe(5);
    const read = w.read(-1);
    // 0 (header) and 1 (server, still running) outlive the window; 2 (client, ended), 3 and 4 are gone.
    expect(read.entries.map((e) => e.seq)).toEqual([0, 1, 5, 6, 7, 8, 9]);
    expect(read.dropped).toEqual({ after: -1, before: 5, count: 3 });
    expect(w.dropped).toBe(3);
    // A reader past the sticky records is told only about what it missed after them.
    expect(w.read(1)).toMatchObject({ dropped: { after: 1, before: 5, count: 3 } });
    expect(w.read(3)).toMatchObject({ dropped: { after: 3, before: 5, count: 1 } });
    expect(w.read(4).dropped).toBeNull();
    expect(w.read(4).entries.map((e) => e.seq)).toEqual([5, 6, 7, 8, 9]);
  });

  it('lets an actor record go once the actor has ended, even after it left the window', () => {
    const w = fed([RUN, actor('server'), PRINT, PRINT, PRINT, PRINT, PRINT, PRINT]);
    expect(w.read(-1).entries.map((e) => e.seq)).toEqual([0, 1, 3, 4, 5, 6, 7]);
    w.add(8, line(8), status('server'));
    expect(w.read(-1).entries.map((e) => e.seq)).toEqual([0, 4, 5, 6, 7, 8]);
    expect(w.read(-1).dropped).toEqual({ after: -1, before: 4, count: 3 });
  });

  it('keeps at most maxSticky records beyond the window, the header always', () => {
    const kinds = [RUN, actor('a'), actor('b'), actor('c'), actor('d'), actor('e'), ...Array(10).fill(PRINT)];
    const w = fed(kinds, { maxRecords: 3, maxBytes: 1 << 20, maxSticky: 3 });
    const sticky = w.read(-1).entries.filter((e) => e.seq < w.firstSeq!);
    expect(sticky.map((e) => e.seq)).toEqual([0, 4, 5]);
  });

  it('holds at most maxBytes of JSON, but always the newest record', () => {
    const w = new RecordWindow({ maxRecords: 100, maxBytes: 30, maxSticky: 2 });
    for (let seq = 0; seq < 10; seq++) w.add(seq, line(seq, ',"x":"....."'), PRINT);
    expect(w.bytes).toBeLessThanOrEqual(30);
    w.add(10, line(10, `,"x":"${'.'.repeat(100)}"`), PRINT);
    expect(w.size).toBe(1);
    expect(w.read(9).entries.map((e) => e.seq)).toEqual([10]);
  });

  it('refuses a record out of order', () => {
    const w = fed([RUN, PRINT]);
    expect(() => w.add(1, line(1), PRINT)).toThrow(/seq order/);
  });

  it('accounts for every record exactly once, received or reported dropped, however the reader lags (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 7 })), { minLength: 1, maxLength: 40 }), (steps) => {
        const w = new RecordWindow({ maxRecords: 10, maxBytes: 1 << 20, maxSticky: 4 });
        let next = 0;
        let cursor = -1;
        const got: number[] = [];
        const missed: number[] = [];
        for (const [adds, take] of steps) {
          for (let i = 0; i < adds; i++, next++) w.add(next, line(next), next === 0 ? RUN : PRINT);
          const { dropped, entries } = w.read(cursor, take);
          const seqs = entries.map((e) => e.seq);
          if (dropped !== null) {
            expect(dropped.after).toBe(cursor);
            const gone: number[] = [];
            for (let s = dropped.after + 1; s < dropped.before; s++) if (!seqs.includes(s)) gone.push(s);
            expect(dropped.count).toBe(gone.length);
            missed.push(...gone);
          }
          got.push(...seqs);
          if (seqs.length > 0) cursor = seqs.at(-1)!;
        }
        // In order, none twice, and with what was dropped, every seq up to the cursor.
        expect([...got].sort((a, b) => a - b)).toEqual(got);
        const all = [...got, ...missed].sort((a, b) => a - b);
        expect(all).toEqual(Array.from({ length: cursor + 1 }, (_, i) => i));
        // The header is never lost.
        if (cursor >= 0) expect(got[0]).toBe(0);
      }),
    );
  });
});
