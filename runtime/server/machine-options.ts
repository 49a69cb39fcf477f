/**
 * The options of a machine started from the page (`POST /api/runs`
 * `{ machine, options }`), checked against the machine's own `cli.options`
 * (lessons/lesson-types.ts), in the spirit of the CLI's checks
 * (runtime/cli/option-kinds.ts) and with the same sentences, minus the
 * dashes, so the page can show them as they are:
 *
 *   port must be a whole number from 0 to 65535 (got "-1")
 *
 * The page sends JSON, so a value is a number or a string ("12345" from a
 * text field is as good as 12345). Every problem is data: a code, the
 * option it is about and a sentence.
 *
 * Pure: no I/O. A `folder` value is looked at by the caller's `folder`
 * function (the disk is not ours to read here).
 */
import type { CliOption, CliOptionKind, CliValues } from '../../lessons/lesson-types.ts';
import { isLoopbackHost, notLoopbackMessage } from './loopback.ts';

/**
 * Longest timer Node can set: setTimeout() takes at most 2^31 - 1 ms
 * (as the CLI's MAX_SECONDS).
 */
export const MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
/** Longest `text` option: an option is a word or a line, never a document. */
export const MAX_TEXT_OPTION = 1000;
/** Longest host name (RFC 1035, section 2.3.4: 255 octets; 253 as text). */
export const MAX_HOST_LENGTH = 253;

export type OptionProblem = 'unknown_option' | 'bad_option' | 'not_loopback';

/** One value checked: its parsed form, or the sentence (and, when it is not a plain mistake, the problem). */
export type ValueCheck = { ok: true; value: string | number } | { ok: false; error: string; code?: OptionProblem };

export type OptionsCheck =
  | { ok: true; values: CliValues }
  | { ok: false; code: OptionProblem; option: string | null; message: string };

export interface OptionCheckContext {
  /** The machine's id, for sentences: 'server1 takes no option "prot"'. */
  machine: string;
  /** The app was started with allowRemote: hosts other than loopback are allowed. */
  allowRemote: boolean;
  /** Check a folder (the caller looks at the disk); `isDefault` when it is the lesson's default. */
  folder?: (path: string, isDefault: boolean) => ValueCheck;
}

const WHOLE = /^\d+$/;

/** A JSON value as the text it stands for, or null when it is neither text nor a number. */
function asText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** What `got "..."` shows: the value as sent, cut short. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

type KindCheck = (value: unknown, option: CliOption, context: OptionCheckContext, isDefault: boolean) => ValueCheck;

const KINDS: Record<CliOptionKind, KindCheck> = {
  port(value, option) {
    const text = asText(value)?.trim() ?? '';
    const low = option.allowZero ? 0 : 1;
    if (!WHOLE.test(text) || Number(text) < low || Number(text) > 65535) {
      return { ok: false, error: `${option.name} must be a whole number from ${low} to 65535 (got ${shown(value)})` };
    }
    return { ok: true, value: Number(text) };
  },
  host(value, option, context) {
    const text = asText(value);
    if (text === null || text.trim() === '') {
      return { ok: false, error: `${option.name} must not be empty (use 127.0.0.1 for this machine)` };
    }
    if (text.length > MAX_HOST_LENGTH || /[\s\x00-\x1f]/.test(text)) {
      return { ok: false, error: `${option.name} must be a host name or an address such as 127.0.0.1 (got ${shown(value)})` };
    }
    if (!context.allowRemote && !isLoopbackHost(text)) {
      return { ok: false, code: 'not_loopback', error: notLoopbackMessage(option.name, text) };
    }
    return { ok: true, value: text };
  },
  count(value, option) {
    const text = asText(value)?.trim() ?? '';
    if (!WHOLE.test(text) || !Number.isSafeInteger(Number(text)) || Number(text) < 1) {
      return { ok: false, error: `${option.name} must be a whole number, 1 or more (got ${shown(value)})` };
    }
    return { ok: true, value: Number(text) };
  },
  seconds(value, option) {
    const text = asText(value)?.trim() ?? '';
    const seconds = /^(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : NaN;
    if (!(seconds > 0 && seconds <= MAX_SECONDS)) {
      return {
        ok: false,
        error: `${option.name} must be a number of seconds, more than 0 and at most ${MAX_SECONDS} (about 24 days) (got ${shown(value)})`,
      };
    }
    return { ok: true, value: seconds };
  },
  folder(value, option, context, isDefault) {
    const text = asText(value);
    if (text === null || text === '') return { ok: false, error: `${option.name} must be a folder that exists (got ${shown(value)})` };
    if (context.folder === undefined) return { ok: false, error: `${option.name}: folders cannot be chosen here` };
    return context.folder(text, isDefault);
  },
  text(value, option) {
    const text = asText(value);
    if (text === null) return { ok: false, error: `${option.name} must be text (got ${shown(value)})` };
    if (text.length > MAX_TEXT_OPTION) return { ok: false, error: `${option.name} must be at most ${MAX_TEXT_OPTION} characters (got ${text.length})` };
    return { ok: true, value: text };
  },
};

/**
 * Check the options sent for a machine: every name must be one of its
 * options, every value right for its kind; absent options take their
 * default. `given` is the request's `options` (undefined: all defaults).
 */
export function checkMachineOptions(options: readonly CliOption[], given: unknown, context: OptionCheckContext): OptionsCheck {
  const names = options.map((o) => o.name);
  const its = names.length === 0 ? 'it takes no options' : `its options are ${names.join(', ')}`;
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    return { ok: false, code: 'bad_option', option: null, message: `options must be an object such as { "port": 12345 } (${its})` };
  }
  const sent = (given ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(sent)) {
    if (!names.includes(name)) {
      return { ok: false, code: 'unknown_option', option: name, message: `${context.machine} takes no option "${name}"; ${its}` };
    }
  }
  const values: Record<string, string | number | undefined> = {};
  for (const option of options) {
    const isDefault = sent[option.name] === undefined;
    const value = isDefault ? option.default : sent[option.name];
    if (value === undefined) {
      values[option.name] = undefined;
      continue;
    }
    const result = KINDS[option.kind](value, option, context, isDefault);
    if (!result.ok) {
      const error = isDefault ? `${result.error}; that is the default, so give ${option.name} yourself` : result.error;
      return { ok: false, code: result.code ?? 'bad_option', option: option.name, message: error };
    }
    values[option.name] = result.value;
  }
  return { ok: true, values };
}
