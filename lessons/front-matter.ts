/**
 * The front matter of a lesson's `lesson.md`: the lines between a first
 * `---` line and the next `---` line, one `key: value` each.
 *
 *   ---
 *   title: A first server and a first client
 *   order: 1
 *   summary: "Two programs, one connection: connect, send, recv, close."
 *   ---
 *   # Lesson 1 — ...
 *
 * A small subset of YAML, enough for one-line values: a plain value is the
 * text after the colon, trimmed; a value in double quotes is read as a JSON
 * string (so `\"` and `\n` work); in single quotes, `''` stands for `'`.
 * Blank lines and lines starting with `#` are skipped. Anything else (a
 * nested map, a list, a value over several lines) is an error naming the
 * line, not a silent guess.
 *
 * Parsers return what they parsed and the rest of the text; mistakes are
 * returned as data. Used by the page (ui/) and the CLI (`sockstep run
 * --list`). Pure and browser-safe.
 */

/** Longest front matter read, in characters: a lesson's title, order and summary fit many times over. */
export const MAX_FRONT_MATTER_CHARS = 4096;

export type FrontMatterResult =
  | {
      ok: true;
      /** Each key's value, as text. Empty when the file has no front matter. */
      fields: Readonly<Record<string, string>>;
      /** The text after the closing `---` line (the whole text when there is no front matter). */
      rest: string;
    }
  | {
      ok: false;
      error: string;
      /** Where the problem is, counting from 1. */
      line: number;
    };

const KEY_LINE = /^([A-Za-z][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]+(.*))?$/;
const FENCE = /^---[ \t]*$/;

/** Split the front matter off a Markdown text and read its fields. */
export function parseFrontMatter(text: string): FrontMatterResult {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const firstEnd = lineEnd(source, 0);
  if (!FENCE.test(source.slice(0, firstEnd.at))) return { ok: true, fields: {}, rest: source };

  const fields: Record<string, string> = {};
  let at = firstEnd.next;
  for (let lineNo = 2; ; lineNo++) {
    if (at >= source.length) {
      return { ok: false, error: 'the front matter has no closing "---" line', line: lineNo - 1 };
    }
    const end = lineEnd(source, at);
    if (end.at > MAX_FRONT_MATTER_CHARS) {
      return {
        ok: false,
        error: `the front matter is longer than ${MAX_FRONT_MATTER_CHARS} characters; is its closing "---" line missing?`,
        line: lineNo,
      };
    }
    const line = source.slice(at, end.at);
    at = end.next;
    if (FENCE.test(line)) return { ok: true, fields, rest: source.slice(at) };
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;

    const match = KEY_LINE.exec(line);
    if (match === null) {
      const why = /^[ \t]/.test(line)
        ? 'an indented line: each value must fit on its key\'s line'
        : 'not a "key: value" line';
      return { ok: false, error: `line ${lineNo} of the front matter is ${why}`, line: lineNo };
    }
    const key = match[1]!;
    if (Object.hasOwn(fields, key)) {
      return { ok: false, error: `line ${lineNo}: "${key}" is given twice in the front matter`, line: lineNo };
    }
    const value = valueOf((match[2] ?? '').trim());
    if (!value.ok) return { ok: false, error: `line ${lineNo}: ${value.error}`, line: lineNo };
    fields[key] = value.value;
  }
}

/** What a lesson's front matter must give. */
export interface LessonMeta {
  title: string;
  /** Its place in the course: lesson 1, 2, ... */
  order: number;
  /** One sentence for the lesson index. */
  summary: string;
}

export type LessonMarkdownResult =
  | { ok: true; meta: LessonMeta; body: string }
  | { ok: false; error: string; line: number };

/** A lesson.md: its title, order and summary (all required) and the Markdown after them. */
export function parseLessonMarkdown(text: string): LessonMarkdownResult {
  const parsed = parseFrontMatter(text);
  if (!parsed.ok) return parsed;
  const { fields } = parsed;
  const missing = ['title', 'order', 'summary'].filter((k) => (fields[k] ?? '') === '');
  if (missing.length > 0) {
    const example = '---\\ntitle: ...\\norder: 1\\nsummary: ...\\n---';
    return {
      ok: false,
      error: `the front matter needs ${missing.map((k) => `"${k}"`).join(', ')} (start the file with ${example})`,
      line: 1,
    };
  }
  const order = fields.order!;
  if (!/^[1-9]\d{0,5}$/.test(order)) {
    return { ok: false, error: `"order" must be a whole number from 1, the lesson's place in the course (got "${order}")`, line: 1 };
  }
  return { ok: true, meta: { title: fields.title!, order: Number(order), summary: fields.summary! }, body: parsed.rest };
}

/** What the page lists of a lesson, even one whose front matter is broken. */
export interface LessonListing {
  meta: LessonMeta;
  /** The lesson text after the front matter (the whole text if it has none or cannot be read). */
  body: string;
  /** What is wrong with the front matter, for the lesson's author; empty when nothing is. */
  problems: string[];
}

/**
 * A lesson.md read leniently, for listing: a lesson with a mistake in its
 * front matter still lists, titled from its first heading and placed by the
 * number its folder starts with, and the mistake is said, not thrown.
 */
export function lessonListing(folder: string, text: string | undefined): LessonListing {
  if (text === undefined) return { meta: fallbackMeta(folder, ''), body: '', problems: ['the lesson folder has no lesson.md'] };
  const parsed = parseLessonMarkdown(text);
  if (parsed.ok) return { meta: parsed.meta, body: parsed.body, problems: [] };
  const split = parseFrontMatter(text);
  const body = split.ok ? split.rest : text;
  const problem = `lesson.md: ${parsed.error}`;
  const meta = fallbackMeta(folder, body);
  // Whatever fields could be read still count.
  if (split.ok) {
    if (split.fields.title) meta.title = split.fields.title;
    if (split.fields.summary) meta.summary = split.fields.summary;
  }
  return { meta, body, problems: [problem] };
}

/** Title from the first heading ('Lesson 7 — Sockets' gives 'Sockets'), order from the folder's number. */
function fallbackMeta(folder: string, body: string): LessonMeta {
  const heading = /^#\s+(.+?)\s*#*\s*$/m.exec(body)?.[1];
  const number = /^(\d+)/.exec(folder)?.[1];
  return {
    title: heading?.replace(/^lesson\s+\d+\s*[—–:-]\s*/i, '') ?? folder,
    order: number === undefined ? Number.MAX_SAFE_INTEGER : Number(number),
    summary: '',
  };
}

/** Where the line starting at `from` ends (before its newline) and where the next one starts. */
function lineEnd(text: string, from: number): { at: number; next: number } {
  const newline = text.indexOf('\n', from);
  if (newline < 0) return { at: text.length, next: text.length };
  const at = newline > from && text[newline - 1] === '\r' ? newline - 1 : newline;
  return { at, next: newline + 1 };
}

function valueOf(raw: string): { ok: true; value: string } | { ok: false; error: string } {
  if (raw.startsWith('"')) {
    if (raw.length < 2 || !raw.endsWith('"')) return { ok: false, error: 'a value that opens with " must close with " on the same line' };
    try {
      return { ok: true, value: JSON.parse(raw) as string };
    } catch {
      return { ok: false, error: `the quoted value ${raw} is not a valid "..." string (escape " and \\ with a backslash)` };
    }
  }
  if (raw.startsWith("'")) {
    if (raw.length < 2 || !raw.endsWith("'")) return { ok: false, error: "a value that opens with ' must close with ' on the same line" };
    const inner = raw.slice(1, -1);
    if (inner.replace(/''/g, '').includes("'")) return { ok: false, error: "inside '...', write a ' as ''" };
    return { ok: true, value: inner.replace(/''/g, "'") };
  }
  if (raw.startsWith('[') || raw.startsWith('{') || raw.startsWith('|') || raw.startsWith('>')) {
    return { ok: false, error: `only one-line text values are read here (got ${raw.slice(0, 20)}); put the value in quotes` };
  }
  // A plain value may end in a comment, as in YAML: `order: 2  # after the greeting`.
  return { ok: true, value: raw.replace(/[ \t]+#.*$/, '') };
}
