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
  let name = '';
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] !== '"') {
      name += text[i];
    } else if (text[i + 1] === '"') {
      name += '"';
      i++;
    } else {
      return { ok: true, value: name };
    }
  }
  return fail('MALFORMED_REPLY', `The 257 reply ${JSON.stringify(text.slice(0, 60))} opens a quote but never closes it.`);
}
