// Held lines: only a line that may need rewriting waits for its line end; every other byte goes on at once.
import { describe, expect, it } from 'vitest';
import { MAX_COMMAND_LINE_BYTES } from '../../machines/ftp/protocol/index.ts';
import { HeldLines } from '../../runtime/tap/held-lines.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

function holder(rewrite: (line: string, offset: number) => string | null = () => null) {
  const seen: string[] = [];
  const calls: [string, number][] = [];
  const lines = new HeldLines({
    starts: ['PORT ', 'EPRT '],
    maxLineBytes: MAX_COMMAND_LINE_BYTES,
    observe: (b) => seen.push(dec.decode(b)),
    rewrite: async (line, offset) => {
      calls.push([dec.decode(line), offset]);
      const out = rewrite(dec.decode(line), offset);
      return out === null ? null : enc.encode(out);
    },
  });
  const feed = async (text: string) => (await lines.feed(enc.encode(text))).map((b) => dec.decode(b)).join('');
  return { lines, feed, seen, calls };
}

describe('held lines', () => {
  it('passes lines that need no rewriting at once, even before their line end', async () => {
    const h = holder();
    expect(await h.feed('USER anon\r\nPASS x')).toBe('USER anon\r\nPASS x');
    expect(await h.feed('yz\r\n')).toBe('yz\r\n');
    expect(h.calls).toEqual([]);
    expect(h.lines.heldBytes).toBe(0);
  });

  it('passes Python ftplib\'s "ABOR" CR at once: its LF may never come', async () => {
    const h = holder();
    expect(await h.feed('ABOR\r')).toBe('ABOR\r');
  });

  it('holds a PORT line across chunks and rewrites it whole, with its offset in the stream', async () => {
    const h = holder((line) => (line.startsWith('PORT') ? 'PORT 1,2,3,4,5,6\r\n' : null));
    expect(await h.feed('NOOP\r\nPO')).toBe('NOOP\r\n');
    expect(h.lines.heldBytes).toBe(2);
    expect(await h.feed('RT 127,0,0,1,4,')).toBe('');
    expect(await h.feed('1\r\nLIST\r\n')).toBe('PORT 1,2,3,4,5,6\r\nLIST\r\n');
    expect(h.calls).toEqual([['PORT 127,0,0,1,4,1\r\n', 6]]);
  });

  it('compares the start without regard to case, one byte at a time', async () => {
    const h = holder(() => 'X\r\n');
    let out = '';
    for (const c of 'eprt |1|127.0.0.1|5000|\r\n') out += await h.feed(c);
    expect(out).toBe('X\r\n');
  });

  it('lets a line that only looked like PORT go as soon as it differs', async () => {
    const h = holder();
    expect(await h.feed('PO')).toBe('');
    expect(await h.feed('ST x')).toBe('POST x');
  });

  it('holds at most one line limit: a longer PORT line goes on unchanged', async () => {
    const h = holder(() => 'never\r\n');
    const long = `PORT ${'1'.repeat(MAX_COMMAND_LINE_BYTES)}`;
    let out = await h.feed(long.slice(0, MAX_COMMAND_LINE_BYTES));
    expect(out).toBe('');
    expect(h.lines.heldBytes).toBe(MAX_COMMAND_LINE_BYTES);
    out += await h.feed(long.slice(MAX_COMMAND_LINE_BYTES));
    expect(out).toBe(long);
    expect(h.lines.heldBytes).toBe(0);
    expect(await h.feed('11\r\nNOOP\r\n')).toBe('11\r\nNOOP\r\n');
    expect(h.calls).toEqual([]);
  });

  it('holds a line of exactly the limit waiting for its LF after the CR', async () => {
    const h = holder(() => null);
    const line = `PORT ${'1'.repeat(MAX_COMMAND_LINE_BYTES - 5)}`;
    expect(await h.feed(`${line}\r`)).toBe('');
    expect(await h.feed('\n')).toBe(`${line}\r\n`);
    expect(h.calls).toHaveLength(1);
  });

  it('gives back what it holds when the stream ends, and the observer sees every byte once, in order', async () => {
    const h = holder();
    const input = ['USER a\r\n', 'PORT 1,2', ',3'];
    let out = '';
    for (const part of input) out += await h.feed(part);
    out += h.lines.flush().map((b) => dec.decode(b)).join('');
    expect(out).toBe(input.join(''));
    expect(h.seen.join('')).toBe(input.join(''));
  });
});
