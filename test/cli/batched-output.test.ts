import { describe, expect, it } from 'vitest';
import { BatchedLines, MAX_BATCH_CHARS, type LineSink } from '../../runtime/cli/batched-output.ts';

/** A sink that records each write and runs "later" only when the test says the turn ended. */
function sink(): LineSink & { writes: string[]; endTurn(): void } {
  const writes: string[] = [];
  let pending: (() => void)[] = [];
  return {
    writes,
    write: (text) => void writes.push(text),
    later: (flush) => void pending.push(flush),
    endTurn() {
      const run = pending;
      pending = [];
      for (const f of run) f();
    },
  };
}

describe('BatchedLines', () => {
  it('writes every line of one turn in one write, in order, each with its newline', () => {
    const s = sink();
    const lines = new BatchedLines(s);
    lines.line('one');
    lines.line('two');
    lines.line('');
    expect(s.writes).toEqual([]);
    s.endTurn();
    expect(s.writes).toEqual(['one\ntwo\n\n']);
    lines.line('three');
    s.endTurn();
    expect(s.writes).toEqual(['one\ntwo\n\n', 'three\n']);
    // A turn with nothing queued writes nothing.
    s.endTurn();
    expect(s.writes).toHaveLength(2);
  });

  it(`writes at once when a batch reaches ${MAX_BATCH_CHARS} characters, so a busy turn holds little`, () => {
    const s = sink();
    const lines = new BatchedLines(s);
    const long = 'x'.repeat(1000);
    const n = Math.ceil(MAX_BATCH_CHARS / 1001);
    for (let i = 0; i < n; i++) lines.line(long);
    expect(s.writes).toHaveLength(1);
    expect(s.writes[0]).toBe(`${long}\n`.repeat(n));
    lines.line('after');
    s.endTurn();
    expect(s.writes.at(-1)).toBe('after\n');
    expect(s.writes.join('')).toBe(`${long}\n`.repeat(n) + 'after\n');
  });

  it('flush() writes what is queued now (before a line on stderr, at exit)', () => {
    const s = sink();
    const lines = new BatchedLines(s);
    lines.line('before the error');
    lines.flush();
    expect(s.writes).toEqual(['before the error\n']);
    s.endTurn();
    expect(s.writes).toHaveLength(1);
  });
});
