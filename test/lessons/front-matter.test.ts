// The front matter of lesson.md: read by the page and by `sockstep run --list`.
import { describe, expect, it } from 'vitest';
import { MAX_FRONT_MATTER_CHARS, parseFrontMatter, parseLessonMarkdown } from '../../lessons/front-matter.ts';
import { lessons } from '../../lessons/index.ts';
import { readFileSync } from 'node:fs';

describe('parseFrontMatter', () => {
  it('reads key: value lines and returns the rest', () => {
    const text = '---\ntitle: A first server\norder: 1\nsummary: "Say \\"hi\\"."\n---\n# Lesson 1\n\nText.\n';
    expect(parseFrontMatter(text)).toEqual({
      ok: true,
      fields: { title: 'A first server', order: '1', summary: 'Say "hi".' },
      rest: '# Lesson 1\n\nText.\n',
    });
  });

  it('takes CRLF line ends, a byte-order mark, blank lines, comments and single quotes', () => {
    const text = '\uFEFF---\r\n# the lesson\r\n\r\ntitle: \'It\'\'s a: title\'\r\norder: 2  # after the greeting\r\n---\r\nBody';
    expect(parseFrontMatter(text)).toEqual({ ok: true, fields: { title: "It's a: title", order: '2' }, rest: 'Body' });
  });

  it('keeps a colon inside a plain value', () => {
    expect(parseFrontMatter('---\ntitle: LIST: a folder\n---\n')).toMatchObject({ fields: { title: 'LIST: a folder' }, rest: '' });
  });

  it('gives the whole text back when there is no front matter', () => {
    expect(parseFrontMatter('# Lesson\n---\n')).toEqual({ ok: true, fields: {}, rest: '# Lesson\n---\n' });
    expect(parseFrontMatter('')).toEqual({ ok: true, fields: {}, rest: '' });
  });

  const mistakes: [string, string, RegExp, number][] = [
    ['no closing line', '---\ntitle: x\n', /no closing "---" line/, 2],
    ['not key: value', '---\ntitle x\n---\n', /line 2 of the front matter is not a "key: value" line/, 2],
    ['an indented line', '---\nsummary: one\n  two\n---\n', /line 3 .*indented line/, 3],
    ['a key given twice', '---\ntitle: a\ntitle: b\n---\n', /line 3: "title" is given twice/, 3],
    ['an open double quote', '---\ntitle: "a\n---\n', /line 2: a value that opens with " must close/, 2],
    ['a bad escape', '---\ntitle: "a\\q"\n---\n', /line 2: the quoted value .* is not a valid/, 2],
    ['a lone single quote inside', "---\ntitle: 'it's'\n---\n", /line 2: inside '...', write a ' as ''/, 2],
    ['a list', '---\ntags: [a, b]\n---\n', /only one-line text values/, 2],
    ['a block value', '---\nsummary: |\n  text\n---\n', /only one-line text values/, 2],
  ];
  it.each(mistakes)('%s is an error naming the line', (_name, text, error, line) => {
    const result = parseFrontMatter(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(error);
    expect(result.line).toBe(line);
  });

  it(`reads at most ${MAX_FRONT_MATTER_CHARS} characters looking for the closing line`, () => {
    const justFits = `---\ntitle: ${'x'.repeat(MAX_FRONT_MATTER_CHARS - 20)}\n---\nrest`;
    expect(parseFrontMatter(justFits)).toMatchObject({ ok: true, rest: 'rest' });
    const tooLong = `---\n${Array.from({ length: MAX_FRONT_MATTER_CHARS / 4 }, (_, i) => `k${i}: v\n`).join('')}---\n`;
    expect(parseFrontMatter(tooLong)).toMatchObject({ ok: false, error: expect.stringMatching(/longer than 4096 characters/) });
  });
});

describe('parseLessonMarkdown', () => {
  it('gives title, order and summary', () => {
    expect(parseLessonMarkdown('---\ntitle: T\norder: 3\nsummary: S\n---\nbody')).toEqual({
      ok: true,
      meta: { title: 'T', order: 3, summary: 'S' },
      body: 'body',
    });
  });

  it('names what is missing', () => {
    expect(parseLessonMarkdown('# no front matter')).toMatchObject({ ok: false, error: expect.stringMatching(/needs "title", "order", "summary"/) });
    expect(parseLessonMarkdown('---\ntitle: T\norder: 1\nsummary:\n---\n')).toMatchObject({ ok: false, error: expect.stringMatching(/needs "summary"/) });
  });

  it.each(['0', 'one', '1.5', '-2', '1234567'])('refuses order %s', (order) => {
    expect(parseLessonMarkdown(`---\ntitle: T\norder: ${order}\nsummary: S\n---\n`)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/"order" must be a whole number/),
    });
  });
});

describe('every registered lesson.md', () => {
  it.each(lessons.map((l) => [l.id]))('%s has a title, an order and a summary', (id) => {
    const text = readFileSync(new URL(`../../lessons/${id}/lesson.md`, import.meta.url), 'utf8');
    const result = parseLessonMarkdown(text);
    expect(result).toMatchObject({ ok: true });
  });
});
