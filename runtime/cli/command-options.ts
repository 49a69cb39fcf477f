/**
 * A command's options (`sockstep run server1`, `sockstep start`): parsed
 * from the command line, each value checked by its kind, defaults filled
 * in, and every mistake turned into one line of ours (a UsageError, exit 2):
 *
 *   unknown option --prot; did you mean --port? (sockstep run server1 --help lists its options)
 *   --port needs a value, as in --port 12345
 *   --port is given twice ("1", then "2"); give it once
 *   client1 takes no --root option (server1a does); its options are --host, --port, --trace
 */
import type { CliOption, CliValues } from '../../lessons/lesson-types.ts';
import { parseArgv, type ArgProblem, type ArgSpec } from './argv.ts';
import { UsageError } from './cli-errors.ts';
import { metavarOf, missingValueMessage, parseOptionValue } from './option-kinds.ts';
import { closest } from './suggest.ts';

/** An option of a command: a lesson machine's (from its lesson) or one of the command's own. */
export interface CommandOption extends CliOption {
  /** Placeholder in help, instead of the kind's: `--trace FILE`. */
  metavar?: string;
  /** A value for "needs a value, as in --trace run.jsonl", when there is no default. */
  example?: string;
}

export interface CommandSpec {
  /** Who takes these options, as messages name it: 'server1', 'sockstep start'. */
  owner: string;
  /** The command as typed, for "(... --help lists its options)": 'sockstep run server1'. */
  command: string;
  options: readonly CommandOption[];
  /** Flags besides --help (`--list`). */
  flags?: readonly string[];
  /** Where a relative default (a folder) starts; typed paths start at the working directory. */
  defaultsBase: string;
  /** Which other commands or machines take an option of this name: ['server1a']. */
  takenElsewhere(name: string): readonly string[];
  /** Where to look after a mistake; default `(<command> --help lists its options)`. */
  helpHint?: string;
}

export interface CommandArgs {
  values: CliValues;
  flags: ReadonlySet<string>;
  positionals: readonly string[];
}

export const HELP_SPEC: ArgSpec = { name: 'help', flag: true, short: 'h' };

/** Parse a command's words (after the command and machine names). Throws UsageError. */
export function parseCommandArgs(argv: readonly string[], spec: CommandSpec, cwd: string): CommandArgs {
  const argSpecs: ArgSpec[] = [
    ...spec.options.map((o) => ({ name: o.name })),
    HELP_SPEC,
    ...(spec.flags ?? []).map((name) => ({ name, flag: true })),
  ];
  const parsed = parseArgv(argv, argSpecs);
  if (!parsed.ok) throw new UsageError(problemMessage(parsed.problem, spec));
  // With --help, nothing else is checked: the user is asking how to type it.
  if (parsed.flags.has('help')) return { values: {}, flags: parsed.flags, positionals: parsed.positionals };

  const values: Record<string, string | number | undefined> = {};
  for (const option of spec.options) {
    const typed = parsed.values[option.name];
    if (typed !== undefined) {
      const result = parseOptionValue(option, typed, cwd);
      if (!result.ok) throw new UsageError(result.error);
      values[option.name] = result.value;
    } else if (option.default !== undefined) {
      const result = parseOptionValue(option, String(option.default), spec.defaultsBase);
      // A lesson's default that does not hold (a sample folder that was deleted) is still one line.
      if (!result.ok) throw new UsageError(`${result.error}; that is the default, so give --${option.name} yourself`);
      values[option.name] = result.value;
    } else {
      values[option.name] = undefined;
    }
  }
  return { values, flags: parsed.flags, positionals: parsed.positionals };
}

/** One line for a mistake in the options. */
export function problemMessage(problem: ArgProblem, spec: CommandSpec): string {
  const helpHint = spec.helpHint ?? `(${spec.command} --help lists its options)`;
  switch (problem.kind) {
    case 'unknown': {
      const name = problem.option.replace(/^--?/, '');
      const known = [...spec.options.map((o) => o.name), 'help', ...(spec.flags ?? [])];
      const elsewhere = problem.option.startsWith('--') ? spec.takenElsewhere(name) : [];
      if (elsewhere.length > 0) {
        const its = spec.options.map((o) => `--${o.name}`);
        return `${spec.owner} takes no ${problem.option} option (${elsewhere.join(', ')} ${elsewhere.length === 1 ? 'does' : 'do'}); its options are ${its.join(', ')}`;
      }
      const guess = closest(name, known);
      return guess === undefined
        ? `unknown option ${problem.option} ${helpHint}`
        : `unknown option ${problem.option}; did you mean --${guess}? ${helpHint}`;
    }
    case 'missingValue': {
      const option = spec.options.find((o) => `--${o.name}` === problem.option);
      return option === undefined ? `${problem.option} needs a value` : missingValueMessage(option, option.example);
    }
    case 'repeated':
      return `${problem.option} is given twice ("${problem.first}", then "${problem.second}"); give it once`;
    case 'flagWithValue':
      return `${problem.option} takes no value (got "${problem.value}")`;
  }
}

/** The options part of a command's help, aligned: `  --port N       port to listen on (default 12345)`. */
export function optionLines(options: readonly CommandOption[], extra: readonly [string, string][] = []): string[] {
  const rows: [string, string][] = options.map((o) => {
    return [`--${o.name} ${o.metavar ?? metavarOf(o)}`, o.default === undefined ? o.help : `${o.help} (default ${o.default})`];
  });
  rows.push(...extra);
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}   ${right}`);
}
