/**
 * One parser and one check per kind of option value (`CliOptionKind` in
 * lessons/lesson-types.ts). A lesson's machine says which options it takes
 * and of what kind; every mistake in a value gets one line from here:
 *
 *   --port must be a whole number from 0 to 65535 (got "-1")
 *
 * Results are data: the command turns an error into a usage error (exit 2).
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliOption, CliOptionKind } from '../../lessons/lesson-types.ts';

export type OptionValue = string | number;
export type ValueResult = { ok: true; value: OptionValue } | { ok: false; error: string };

/**
 * Longest timer Node can set: setTimeout() takes at most 2^31 - 1 ms and
 * fires at once (with only a warning) for anything longer.
 */
export const MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

interface KindRule {
  /** The value's placeholder in help: `--port N`. */
  metavar: string;
  /** A value to show in "needs a value, as in --port 12345" when the option has no default. */
  example: string;
  /** `text` as typed; `base` is the folder a relative path starts from. */
  parse(text: string, option: CliOption, base: string): ValueResult;
}

const WHOLE = /^\d+$/;

const KINDS: Record<CliOptionKind, KindRule> = {
  port: {
    metavar: 'N',
    example: '12345',
    parse(text, option) {
      const low = option.allowZero ? 0 : 1;
      if (!WHOLE.test(text) || Number(text) < low || Number(text) > 65535) {
        return { ok: false, error: `--${option.name} must be a whole number from ${low} to 65535 (got "${text}")` };
      }
      return { ok: true, value: Number(text) };
    },
  },
  host: {
    metavar: 'HOST',
    example: '127.0.0.1',
    parse(text, option) {
      // A blank host means "every interface" to some systems and "this machine" to others: refuse to guess.
      if (text.trim() === '') {
        return { ok: false, error: `--${option.name} must not be empty (use 127.0.0.1 for this machine only, 0.0.0.0 for every interface)` };
      }
      return { ok: true, value: text };
    },
  },
  count: {
    metavar: 'N',
    example: '3',
    parse(text, option) {
      if (!WHOLE.test(text) || !Number.isSafeInteger(Number(text)) || Number(text) < 1) {
        return { ok: false, error: `--${option.name} must be a whole number, 1 or more (got "${text}")` };
      }
      return { ok: true, value: Number(text) };
    },
  },
  seconds: {
    metavar: 'SECONDS',
    example: '2',
    parse(text, option) {
      const seconds = /^(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : NaN;
      if (!(seconds > 0 && seconds <= MAX_SECONDS)) {
        return {
          ok: false,
          error: `--${option.name} must be a number of seconds, more than 0 and at most ${MAX_SECONDS} (about 24 days) (got "${text}")`,
        };
      }
      return { ok: true, value: seconds };
    },
  },
  folder: {
    metavar: 'DIR',
    example: '.',
    parse(text, option, base) {
      const why = (reason: string): ValueResult => ({ ok: false, error: `--${option.name} must be a folder that exists (got "${text}": ${reason})` });
      if (text === '') return why('an empty path');
      const path = resolve(base, text);
      try {
        if (!statSync(path).isDirectory()) return why('that is a file, not a folder');
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return why('there is no such folder');
        if (code === 'EACCES' || code === 'EPERM') return why('permission denied');
        return why((error as Error).message);
      }
      return { ok: true, value: path };
    },
  },
  text: {
    metavar: 'TEXT',
    example: 'hello',
    parse: (text) => ({ ok: true, value: text }),
  },
};

/** Parse and check one value of an option. `base`: where a relative folder starts (the working directory). */
export function parseOptionValue(option: CliOption, text: string, base: string): ValueResult {
  return KINDS[option.kind].parse(text, option, base);
}

/** The placeholder shown after the option in help: `--port N`, `--root DIR`. */
export function metavarOf(option: CliOption): string {
  return KINDS[option.kind].metavar;
}

/** One line for an option given with no value. */
export function missingValueMessage(option: CliOption, example = option.default ?? KINDS[option.kind].example): string {
  return `--${option.name} needs a value, as in --${option.name} ${example}`;
}
