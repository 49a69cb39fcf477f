import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, safeHref } from '../ui/lib/markdown.ts';

describe('parseInline', () => {
  it('reads code, bold, italics and links', () => {
    expect(parseInline('call `recv(1024)` **at most** *once*, see [docs](https://docs.python.org/3/)')).toEqual([
      { type: 'text', text: 'call ' },
      { type: 'code', text: 'recv(1024)' },
      { type: 'text', text: ' ' },
      { type: 'strong', children: [{ type: 'text', text: 'at most' }] },
      { type: 'text', text: ' ' },
      { type: 'em', children: [{ type: 'text', text: 'once' }] },
      { type: 'text', text: ', see ' },
      { type: 'link', href: 'https://docs.python.org/3/', children: [{ type: 'text', text: 'docs' }] },
    ]);
  });

  it('leaves markup inside code alone', () => {
    expect(parseInline('`**not bold**`')).toEqual([{ type: 'code', text: '**not bold**' }]);
  });

  it('drops unsafe links but keeps their text', () => {
    expect(parseInline('[click](javascript:alert(1))')[0]).toEqual({ type: 'text', text: 'click' });
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,x')).toBeNull();
    expect(safeHref('#exercise')).toBe('#exercise');
    expect(safeHref('../02-echo/')).toBe('../02-echo/');
  });
});

describe('parseMarkdown', () => {
  it('reads headings, paragraphs, lists with wrapped items, code blocks and quotes', () => {
    const blocks = parseMarkdown(
      [
        '# Title',
        '',
        'One paragraph',
        'on two lines.',
        '',
        '1. first item',
        '   continues here',
        '2. second',
        '',
        '- bullet',
        '',
        '```python',
        'sock.recv(1024)',
        '  # indented',
        '```',
        '> a note',
      ].join('\n'),
    );
    expect(blocks.map((b) => b.type)).toEqual(['heading', 'paragraph', 'list', 'list', 'code', 'quote']);
    expect(blocks[1]).toEqual({ type: 'paragraph', children: [{ type: 'text', text: 'One paragraph on two lines.' }] });
    expect(blocks[2]).toMatchObject({ ordered: true, start: 1, items: [[{ text: 'first item continues here' }], [{ text: 'second' }]] });
    expect(blocks[3]).toMatchObject({ ordered: false });
    expect(blocks[4]).toEqual({ type: 'code', lang: 'python', text: 'sock.recv(1024)\n  # indented' });
  });

  it('reads lesson 1’s text', async () => {
    const text = await readFile(new URL('../lessons/01-greeting/lesson.md', import.meta.url), 'utf8');
    const blocks = parseMarkdown(text);
    expect(blocks[0]).toMatchObject({ type: 'heading', level: 1 });
    const headings = blocks.filter((b) => b.type === 'heading').map((b) => (b.type === 'heading' ? b.children.map((c) => ('text' in c ? c.text : '')).join('') : ''));
    expect(headings).toContain('The server');
    expect(blocks.some((b) => b.type === 'list' && b.ordered && b.items.length === 4)).toBe(true);
  });
});
