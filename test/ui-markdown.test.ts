import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { lessons } from '../lessons/index.ts';
import { lessonListing } from '../lessons/front-matter.ts';
import { lessonBlocks, nestHeadings, parseInline, parseMarkdown, safeHref } from '../ui/lib/markdown.ts';
import { escapeHtml, fillTemplate, indexPage, lessonPage } from '../ui/lib/prerender.ts';
import { ROOT } from './helpers/ui-page.ts';

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

  it('reads every lesson’s text: a title, then headings that never skip a level', async () => {
    for (const lesson of lessons) {
      const { body } = lessonListing(lesson.id, await readFile(path.join(ROOT, 'lessons', lesson.id, 'lesson.md'), 'utf8'));
      const blocks = parseMarkdown(body);
      expect(blocks[0], lesson.id).toMatchObject({ type: 'heading', level: 1 });
      const levels = lessonBlocks(body, 2).flatMap((b) => (b.block.type === 'heading' ? [b.level] : []));
      expect(levels.length, lesson.id).toBeGreaterThan(0);
      let previous = 2;
      for (const level of levels) {
        expect(level).toBeLessThanOrEqual(previous + 1);
        previous = level;
      }
    }
  });
});

describe('nestHeadings', () => {
  it('puts the text’s shallowest heading one level below its parent, never skipping a level', () => {
    expect(nestHeadings([2, 3, 2], 2)).toEqual([3, 4, 3]);
    expect(nestHeadings([3, 3], 1)).toEqual([2, 2]);
    // A jump in the text (## then ####) is closed up.
    expect(nestHeadings([2, 4, 4, 2], 2)).toEqual([3, 4, 4, 3]);
    expect(nestHeadings([1, 6], 5)).toEqual([6, 6]);
    expect(nestHeadings([], 2)).toEqual([]);
  });
});

describe('pre-rendered pages', () => {
  const lesson = {
    id: '09-x',
    definition: { id: '09-x', machines: [], scenarios: [] },
    meta: { title: 'A <b>bold</b> idea', order: 9, summary: 'S & T' },
    problems: [],
    number: 9,
    text: '# Lesson 9\n\nSee `a<b>` and [x](javascript:alert(1)).\n\n## Part\n\n1. one',
    scriptNames: [],
  };

  it('escape every piece of lesson text, and keep the outline h1 → h2 → h3', () => {
    const page = lessonPage(lesson);
    expect(page.file).toBe('lessons/09-x/index.html');
    expect(page.title).toBe('Sockstep — Lesson 9: A <b>bold</b> idea');
    expect(page.body).toContain('<h1>Lesson 9: A &lt;b&gt;bold&lt;/b&gt; idea</h1>');
    expect(page.body).toContain('<code>a&lt;b&gt;</code>');
    expect(page.body).not.toContain('javascript:');
    expect(page.body).toContain('<h2>The lesson</h2>');
    expect(page.body).toContain('<h3>Part</h3>');
    expect(page.body).toContain('<a href="../../">All lessons</a>');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('fill the built index.html: title, description, body, and asset URLs from the route’s folder', () => {
    const template =
      '<html><head><title>Sockstep</title><meta name="description" content="old">' +
      '<script type="module" crossorigin src="./assets/index-1.js"></script><link rel="stylesheet" href="./assets/index-2.css">' +
      '<link rel="icon" href="data:image/svg+xml,x"></head><body><div id="app"></div></body></html>';
    const html = fillTemplate(template, lessonPage(lesson));
    expect(html).toContain('src="../../assets/index-1.js"');
    expect(html).toContain('href="../../assets/index-2.css"');
    expect(html).toContain('href="data:image/svg+xml,x"');
    expect(html).toContain('<title>Sockstep — Lesson 9: A &lt;b&gt;bold&lt;/b&gt; idea</title>');
    expect(html).toContain('content="S &amp; T"');
    expect(html).toMatch(/<div id="app"><div class="prerendered"/);
    const index = fillTemplate(template, indexPage([lesson]));
    expect(index).toContain('src="./assets/index-1.js"');
    expect(index).toContain('href="./lessons/09-x/"');
  });
});
