/**
 * A trace file read as a stream (ui/lib/trace-stream.ts): lines cut across
 * chunks anywhere (a UTF-8 character too), read only as far as asked, and
 * each kind of bad file said in a sentence with what was read before it.
 */
import { describe, expect, it } from 'vitest';
import { recordToJson, toJsonLines } from '../runtime/trace/json.ts';
import type { TraceRecord } from '../runtime/trace/records.ts';
import { MAX_LINE_CHARS, problemText, TraceStreamReader } from '../ui/lib/trace-stream.ts';
import { greetingTrace } from './ui-fixtures/traces.ts';

const records = await greetingTrace();
const text = toJsonLines(records);

/** A stream of `bytes` in chunks of `size`, counting how many chunks were pulled. */
function chunked(bytes: Uint8Array, size: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let at = 0;
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (at >= bytes.length) return controller.close();
        pulled += 1;
        controller.enqueue(bytes.slice(at, at + size));
        at += size;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}

async function readAll(content: string | Uint8Array, size = 7, batch = 1000) {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const reader = new TraceStreamReader(chunked(bytes, size).stream.getReader());
  const out: TraceRecord[] = [];
  while (!reader.finished) out.push(...(await reader.next(batch)));
  return { out, problem: reader.problem, reader };
}

describe('a trace read as a stream', () => {
  for (const size of [1, 3, 64, 100_000]) {
    it(`reads every record with chunks of ${size} bytes`, async () => {
      const { out, problem } = await readAll(text, size);
      expect(problem).toBeNull();
      expect(out.map((r) => r.seq)).toEqual(records.map((r) => r.seq));
      expect(toJsonLines(out)).toBe(text);
    });
  }

  it('keeps a character whose bytes are split between chunks whole', async () => {
    const odd = [...records.slice(0, 3), { ...records[3]!, seq: records.length, type: 'print', actor: 'server1', text: 'héllo → wörld ✓' } as TraceRecord];
    odd.splice(3, 0);
    const withText = toJsonLines(odd.map((r, i) => ({ ...r, seq: i }) as TraceRecord));
    for (const size of [1, 2, 5]) {
      const { out, problem } = await readAll(withText, size);
      expect(problem).toBeNull();
      expect((out.at(-1) as { text: string }).text).toBe('héllo → wörld ✓');
    }
  });

  it('reads only as far as asked: a large file gives its first records after its first chunks', async () => {
    const big = text.repeat(1).concat(
      Array.from({ length: 20_000 }, (_, i) => recordToJson({ ...records[4]!, seq: records.length + i } as TraceRecord)).join('\n') + '\n',
    );
    const source = chunked(new TextEncoder().encode(big), 4096);
    const reader = new TraceStreamReader(source.stream.getReader());
    const first = await reader.next(10);
    expect(first).toHaveLength(10);
    expect(source.pulled()).toBeLessThan(4);
    expect(reader.finished).toBe(false);
  });

  it('takes a last line without a newline', async () => {
    const { out, problem } = await readAll(text.trimEnd());
    expect(problem).toBeNull();
    expect(out).toHaveLength(records.length);
  });
});

describe('bad trace files, each in a sentence', () => {
  it('not JSON lines', async () => {
    const { out, problem } = await readAll('this is not a trace\nat all\n');
    expect(out).toHaveLength(0);
    expect(problem).toMatchObject({ kind: 'bad', line: 1 });
    expect(problemText('“notes.txt”', problem!, 0)).toBe('“notes.txt” cannot be shown: line 1 is not JSON: a trace file has one JSON record per line ("this is not a trace").');
  });

  it('a truncated last line: what was read is kept, and the rest is said to be cut', async () => {
    const cut = text.slice(0, text.length - 25);
    const { out, problem } = await readAll(cut);
    expect(out).toHaveLength(records.length - 1);
    expect(problem).toMatchObject({ kind: 'cut', line: records.length });
    expect(problemText('“run.jsonl”', problem!, 12)).toMatch(/^“run\.jsonl” was cut short: the file ends part-way through line \d+ .* The 12 steps before it are shown\.$/);
  });

  it('another trace version', async () => {
    const { problem } = await readAll('{"seq":0,"t":0,"type":"run","version":1,"transport":"sim"}\n');
    expect(problemText('“old.jsonl”', problem!, 0)).toMatch(/^“old\.jsonl” cannot be shown: this trace is version 1; this Sockstep reads version 2\./);
  });

  it('records out of order: reading stops there, the steps before it shown', async () => {
    const lines = text.trimEnd().split('\n');
    [lines[6], lines[7]] = [lines[7]!, lines[6]!];
    const { out, problem } = await readAll(lines.join('\n') + '\n');
    // Lines 1-7 are in order (seq 7 after seq 5 is fine: a windowed trace skips numbers); line 8 goes back.
    expect(out).toHaveLength(7);
    expect(problem).toMatchObject({ kind: 'bad', line: 8 });
    expect(problemText('“run.jsonl”', problem!, 4)).toMatch(/^Reading “run\.jsonl” stopped at line 8: line 8: records are out of order .* The 4 steps before it are shown\.$/);
  });

  it('an empty file', async () => {
    const { problem } = await readAll('');
    expect(problem).toMatchObject({ kind: 'empty' });
    expect(problemText('“empty.jsonl”', problem!, 0)).toContain('cannot be shown: the file is empty');
  });

  it('a line longer than the limit, refused before it is held', async () => {
    const reader = new TraceStreamReader(chunked(new TextEncoder().encode('x'.repeat(5000)), 512).stream.getReader(), 2048);
    await reader.next(10);
    expect(reader.problem).toMatchObject({ kind: 'long', line: 1 });
    expect(reader.bytes).toBeLessThan(4096);
    expect(MAX_LINE_CHARS).toBeGreaterThanOrEqual(64 * 2 ** 20);
  });
});
