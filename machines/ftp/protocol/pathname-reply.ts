/**
 * The quoted directory name of a 257 reply (answer to PWD and MKD).
 *
 * RFC 959 Appendix II: the reply is "257<space>"<directory-name>"<space>
 * <commentary>", and "If the directory name contains any double quotes,
 * they should be doubled":
 *
 *   257 "/home/say ""hi""" is current directory.
 *        └─ /home/say "hi" ┘
 *
 * Browser-safe: no `node:` import.
 */
import { fail } from './errors.ts';
import type { Result } from './errors.ts';

/** Quote a directory name for a 257 reply: wrap in '"', double inner '"'. */
export function quotePathname(path: string): string {
  return `"${path.replaceAll('"', '""')}"`;
}

/**
 * Read the directory name out of a 257 reply's text. Fails (reply null)
 * when there is no quoted name; servers that omit the quotes are rare.
 */
export function parsePathnameReply(text: string): Result<string> {
  const start = text.indexOf('"');
  if (start < 0) {
    return fail('MALFORMED_REPLY', `The 257 reply ${JSON.stringify(text.slice(0, 60))} has no "quoted" directory name.`);
  }
  // Copy the runs between quotes with slice, not character by character.
  const parts: string[] = [];
  let from = start + 1;
  for (let quote = text.indexOf('"', from); quote >= 0; quote = text.indexOf('"', from)) {
    parts.push(text.slice(from, quote));
    if (text[quote + 1] !== '"') return { ok: true, value: parts.join('') };
    parts.push('"'); // a doubled quote is one quote of the name
    from = quote + 2;
  }
  return fail('MALFORMED_REPLY', `The 257 reply ${JSON.stringify(text.slice(0, 60))} opens a quote but never closes it.`);
}
