/**
 * A lesson's `lesson.md` starts with front matter: a few `key: value`
 * lines between two `---` lines.
 *
 *   ---
 *   title: A first server and a first client
 *   order: 1
 *   summary: Two programs, one connection, seventeen bytes.
 *   ---
 *   # Lesson 1 — ...
 *
 * This reads that block (a small subset of YAML: one plain or quoted
 * scalar per line, `#` comments), and then the three fields a lesson needs.
 * Pure: errors are returned as data, never thrown, so that one lesson with
 * a typo still lists, with a message saying what to fix.
 */

/** Front matter may not be longer than this: a file that opens with `---` and never closes it is not front matter. */
export const MAX_FRONT_MATTER_LINES = 50;

export interface FrontMatter {
  /** Each `key: value`, the value unquoted. */
  data: Record<string, string>;
  /** The text after the closing `---`. */
  body: string;
  /** What was wrong, one sentence each (empty when nothing was). */
  problems: string[];
}

const KEY_VALUE = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/;

/** Strip matching quotes: "a: b" and 'it''s' (YAML doubles a quote inside single quotes). */
function unquote(raw: string): string {
  const value = raw.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(["\\])/g, '$1');
  }
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replaceAll("''", "'");
  // An unquoted value may end in a comment: `order: 2  # after the greeting`.
  return value.replace(/\s+#.*$/, '');
}

export function parseFrontMatter(source: string): FrontMatter {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  if (lines[0]?.trim() !== '---') return { data: {}, body: text, problems: [] };
  const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
  if (end < 0 || end > MAX_FRONT_MATTER_LINES) {
    return { data: {}, body: text, problems: ['the front matter opened with "---" is never closed by another "---" line'] };
  }
  const data: Record<string, string> = {};
  const problems: string[] = [];
  for (let i = 1; i < end; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const m = KEY_VALUE.exec(line);
    if (m === null) {
      problems.push(`front matter line ${i + 1} is not "key: value": ${JSON.stringify(line.slice(0, 60))}`);
      continue;
    }
    if (Object.hasOwn(data, m[1]!)) problems.push(`front matter names "${m[1]}" twice; the last one counts`);
    data[m[1]!] = unquote(m[2]!);
  }
  return { data, body: lines.slice(end + 1).join('\n'), problems };
}

/** What the page shows of a lesson before opening it. */
export interface LessonMeta {
  title: string;
  /** Position in the course; lessons are listed by it. */
  order: number;
  summary: string;
  /** Problems in the front matter, for the lesson's author. */
  problems: string[];
}

/**
 * The title, order and summary of a lesson from its `lesson.md`. A missing
 * field falls back to something sensible (the first heading, the number the
 * folder name starts with, the first paragraph) and is reported.
 */
export function lessonMeta(id: string, fm: FrontMatter): LessonMeta {
  const problems = [...fm.problems];
  const heading = /^#\s+(.+?)\s*#*\s*$/m.exec(fm.body)?.[1];
  let title = fm.data.title?.trim() ?? '';
  if (title === '') {
    // A heading 'Lesson 1 — A first server' names the lesson 'A first server': the page numbers lessons itself.
    title = heading?.replace(/^lesson\s+\d+\s*[—–:-]\s*/i, '') ?? id;
    problems.push('the front matter has no "title"');
  }
  const folderNumber = /^(\d+)/.exec(id)?.[1];
  let order = Number.NaN;
  const rawOrder = fm.data.order?.trim();
  if (rawOrder !== undefined && /^\d+(\.\d+)?$/.test(rawOrder)) order = Number(rawOrder);
  else problems.push(rawOrder === undefined ? 'the front matter has no "order"' : `"order" should be a number, not ${JSON.stringify(rawOrder)}`);
  if (Number.isNaN(order)) order = folderNumber === undefined ? Number.MAX_SAFE_INTEGER : Number(folderNumber);
  let summary = fm.data.summary?.trim() ?? '';
  if (summary === '') {
    summary = firstParagraph(fm.body);
    problems.push('the front matter has no "summary"');
  }
  return { title, order, summary, problems };
}

/** The first paragraph of Markdown text, as one line (for a missing summary). */
function firstParagraph(body: string): string {
  const paragraphs = body.split(/\n\s*\n/).map((p) => p.trim());
  const first = paragraphs.find((p) => p !== '' && !/^(#|```|~~~|[-*+] |\d+[.)] |>)/.test(p));
  return first?.replace(/\s+/g, ' ') ?? '';
}
