/**
 * The command line split into positionals and options, against a list of
 * the options a command takes. Ours rather than `node:util`'s parseArgs,
 * whose messages are long and Node's own ("argument is ambiguous" for
 * `--port -1`, a paragraph about positionals for `--prot 5`):
 *
 *   --port 12345   --port=12345   --port -1      a value (the next word is
 *                                                taken, even if it starts with -)
 *   --help  -h                                   a flag
 *   --                                           everything after is positional
 *
 * Mistakes are returned as data (`ArgProblem`); the command turns each into
 * one line of ours, with what it knows (a suggestion, the machine's name).
 * Pure.
 */

export interface ArgSpec {
  /** Without the dashes: 'port' is `--port`. */
  name: string;
  /** A flag takes no value (`--help`). */
  flag?: boolean;
  /** A one-letter alias used with one dash: 'h' is `-h`. */
  short?: string;
}

export type ArgProblem =
  /** An option the command does not take: '--prot', '-x'. */
  | { kind: 'unknown'; option: string }
  /** `--port` at the end, or followed by another `--option`. */
  | { kind: 'missingValue'; option: string }
  /** `--port 1 --port 2`. */
  | { kind: 'repeated'; option: string; first: string; second: string }
  /** `--help=yes`. */
  | { kind: 'flagWithValue'; option: string; value: string };

export type ParsedArgv =
  | {
      ok: true;
      positionals: string[];
      /** Option values by name, as typed. */
      values: Record<string, string>;
      /** Flags given, by name. */
      flags: Set<string>;
    }
  | { ok: false; problem: ArgProblem };

export function parseArgv(argv: readonly string[], specs: readonly ArgSpec[]): ParsedArgv {
  const positionals: string[] = [];
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    const option = optionOf(arg, specs);
    if (option === null) {
      positionals.push(arg);
      continue;
    }
    const { spec, typed, inline } = option;
    if (spec === undefined) return { ok: false, problem: { kind: 'unknown', option: typed } };
    if (spec.flag) {
      if (inline !== undefined) return { ok: false, problem: { kind: 'flagWithValue', option: typed, value: inline } };
      flags.add(spec.name);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      // `--port --host x`: the user forgot the value; `--port -1` is a (bad) value, checked by the option's kind.
      if (next !== undefined && !(next.startsWith('--') && next.length > 2)) {
        value = next;
        i += 1;
      }
    }
    if (value === undefined) return { ok: false, problem: { kind: 'missingValue', option: typed } };
    if (Object.hasOwn(values, spec.name)) {
      return { ok: false, problem: { kind: 'repeated', option: `--${spec.name}`, first: values[spec.name]!, second: value } };
    }
    values[spec.name] = value;
  }
  return { ok: true, positionals, values, flags };
}

/**
 * Where the positionals are, skipping options and the values of those that
 * take one: enough to find the command and the machine before the
 * machine's own options are known. `takesValue` says which names take a value.
 */
export function positionalIndexes(argv: readonly string[], takesValue: (name: string) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      for (let j = i + 1; j < argv.length; j++) out.push(j);
      return out;
    }
    if (!isOptionWord(arg)) out.push(i);
    else if (arg.startsWith('--') && !arg.includes('=') && takesValue(arg.slice(2))) i += 1;
  }
  return out;
}

/** `argv` without the word at `index`. */
export function without(argv: readonly string[], index: number): string[] {
  return [...argv.slice(0, index), ...argv.slice(index + 1)];
}

/** '--port', '--port=1', '-h': an option word. '-' alone (stdin, by convention) and '-1' are not. */
function isOptionWord(arg: string): boolean {
  return (arg.startsWith('--') && arg.length > 2) || /^-[A-Za-z]/.test(arg);
}

function optionOf(
  arg: string,
  specs: readonly ArgSpec[],
): { spec: ArgSpec | undefined; typed: string; inline: string | undefined } | null {
  if (!isOptionWord(arg)) return null;
  if (arg.startsWith('--')) {
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    return { spec: specs.find((s) => s.name === name), typed: `--${name}`, inline };
  }
  // One dash: a one-letter alias, alone (`-h`). `-hx` and `-port` are unknown, not guessed at.
  const letter = arg.slice(1);
  return { spec: specs.find((s) => s.short !== undefined && s.short === letter), typed: arg, inline: undefined };
}
