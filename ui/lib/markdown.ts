/**
 * A small Markdown reader for lesson text: headings, paragraphs, bulleted
 * and numbered lists, fenced code blocks, block quotes, and inline code,
 * bold, italics and links. It returns a tree, not HTML, so the page builds
 * elements from it and no lesson text is ever parsed as HTML.
 */

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] };

export type Block =
  | { type: 'heading'; level: number; children: Inline[] }
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { type: 'code'; lang: string; text: string }
  | { type: 'quote'; children: Inline[] };

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)\s*([\w+-]*)/;
const ITEM = /^\s{0,3}([-*+]|(\d+)[.)])\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;

/** Links may go to the web, to another page of ours, or within the page; never `javascript:`. */
export function safeHref(href: string): string | null {
  const trimmed = href.trim();
  if (/^(https?:|mailto:|#|\/|\.\/|\.\.\/)/i.test(trimmed)) return trimmed;
  if (/^[\w./-]+$/.test(trimmed) && !trimmed.includes(':')) return trimmed;
  return null;
}

/** Inline markup: `code` first (nothing inside it is markup), then links, bold, italics. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  const pattern = /`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)|\*\*(.+?)\*\*|__(.+?)__|\*([^*\s][^*]*?)\*|_([^_\s][^_]*?)_/g;
  let last = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m.index > last) out.push({ type: 'text', text: text.slice(last, m.index) });
    if (m[1] !== undefined) {
      out.push({ type: 'code', text: m[1] });
    } else if (m[2] !== undefined) {
      const href = safeHref(m[3]!);
      out.push(href === null ? { type: 'text', text: m[2] } : { type: 'link', href, children: parseInline(m[2]) });
    } else if (m[4] !== undefined || m[5] !== undefined) {
      out.push({ type: 'strong', children: parseInline(m[4] ?? m[5]!) });
    } else {
      out.push({ type: 'em', children: parseInline(m[6] ?? m[7]!) });
    }
    last = pattern.lastIndex;
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
  return out;
}

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  const isBlank = (line: string | undefined) => line === undefined || line.trim() === '';
  const startsBlock = (line: string) => HEADING.test(line) || FENCE.test(line) || ITEM.test(line) || QUOTE.test(line);

  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ type: 'heading', level: heading[1]!.length, children: parseInline(heading[2]!) });
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trim().startsWith(fence[1]!)) body.push(lines[i++]!);
      i++; // the closing fence
      blocks.push({ type: 'code', lang: fence[2] ?? '', text: body.join('\n') });
      continue;
    }
    if (ITEM.test(line)) {
      const first = ITEM.exec(line)!;
      const ordered = first[2] !== undefined;
      const items: string[] = [];
      while (i < lines.length) {
        const item = ITEM.exec(lines[i]!);
        if (item && (item[2] !== undefined) === ordered) {
          items.push(item[3]!);
          i++;
        } else if (!isBlank(lines[i]) && /^\s+/.test(lines[i]!) && items.length > 0) {
          // An indented line continues the item above it.
          items[items.length - 1] += ' ' + lines[i]!.trim();
          i++;
        } else if (isBlank(lines[i]) && ITEM.test(lines[i + 1] ?? '')) {
          i++; // a blank line between items keeps the list going
        } else {
          break;
        }
      }
      blocks.push({ type: 'list', ordered, start: ordered ? Number(first[2]) : 1, items: items.map(parseInline) });
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) body.push(QUOTE.exec(lines[i++]!)![1]!);
      blocks.push({ type: 'quote', children: parseInline(body.join(' ')) });
      continue;
    }
    const body: string[] = [line.trim()];
    i++;
    while (i < lines.length && !isBlank(lines[i]) && !startsBlock(lines[i]!)) body.push(lines[i++]!.trim());
    blocks.push({ type: 'paragraph', children: parseInline(body.join(' ')) });
  }
  return blocks;
}

/**
 * HTML heading levels for a text placed under a heading of level `parent`:
 * each heading sits one level below the nearest shallower heading before it
 * (or below the parent), so that a screen reader's outline never jumps
 * (h1 → h3) even where the text does (## then ####). Levels stop at 6.
 */
export function nestHeadings(levels: readonly number[], parent: number): number[] {
  const open: { source: number; level: number }[] = [];
  return levels.map((source) => {
    while (open.length > 0 && open[open.length - 1]!.source >= source) open.pop();
    const level = Math.min(6, (open[open.length - 1]?.level ?? parent) + 1);
    open.push({ source, level });
    return level;
  });
}

/**
 * A lesson's blocks without its title (a leading `#`: the page header shows
 * it), each heading at its place in the page's outline under a heading of
 * level `parentLevel`. The page and the pre-rendered HTML both draw these.
 */
export function lessonBlocks(markdown: string, parentLevel: number): { block: Block; level: number }[] {
  const blocks = parseMarkdown(markdown);
  const body = blocks[0]?.type === 'heading' && blocks[0].level === 1 ? blocks.slice(1) : blocks;
  const levels = nestHeadings(
    body.flatMap((b) => (b.type === 'heading' ? [b.level] : [])),
    parentLevel,
  );
  let h = 0;
  return body.map((block) => ({ block, level: block.type === 'heading' ? levels[h++]! : 0 }));
}
