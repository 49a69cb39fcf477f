/**
 * The `sockstep` command line.
 *
 *   sockstep run <machine> [options]    a lesson machine on real sockets
 *   sockstep run --list                 the machines, lesson by lesson
 *   sockstep run <machine> --help       a machine's options
 *   sockstep run <machine> --inspect    the same, watched live in the lesson app
 *   sockstep view TRACE.jsonl           a saved trace in the lesson app
 *   sockstep start [--host H] [--port N] the lesson app
 *   sockstep tap --listen PORT --to HOST:PORT   your client and server through the tap
 *   sockstep export TRACE --pcap FILE   a trace as a capture for Wireshark
 *   sockstep ftp-server --root DIR      an FTP server for curl, lftp, ftplib
 *   sockstep --help | --version
 *
 * Bad input gets one line on stderr and a non-zero exit, never a stack
 * trace: exit 2 for a mistake in the command, 1 for a failure while running.
 */
import { positionalIndexes, without } from './argv.ts';
import { BatchedLines } from './batched-output.ts';
import { CliFailure, UsageError } from './cli-errors.ts';
import { parseCommandArgs, type CommandSpec } from './command-options.ts';
import { exportCommand } from './export-command.ts';
import { ftpServerCommand } from './ftp-server-command.ts';
import { mainHelp, startHelp } from './help.ts';
import { PROJECT_ROOT } from './lesson-files.ts';
import { ownersOf, runCommand, takesValue } from './run-command.ts';
import { interrupted } from './signals.ts';
import { startCommand } from './start-command.ts';
import { START_OPTIONS } from './start-options.ts';
import { closest } from './suggest.ts';
import { tapCommand } from './tap-command.ts';
import { packageVersion } from './version.ts';
import { viewCommand } from './view-command.ts';

/** Where the command's output goes and how it hears Ctrl-C: the process, or a test. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Relative paths (--root, --trace) start here. */
  cwd: string;
  /** Resolves when the user asks to stop (Ctrl-C, SIGTERM). */
  interrupted: () => { promise: Promise<'interrupted'>; dispose(): void };
  /** Trace records a run keeps in memory (tests lower it). */
  retain?: number;
}

/** stdout in batches (a run prints a line per record, thousands a second); flushed before stderr and at exit. */
const stdoutLines = new BatchedLines();
process.once('exit', () => stdoutLines.flush());

export const PROCESS_IO: CliIo = {
  out: (line) => stdoutLines.line(line),
  err: (line) => {
    stdoutLines.flush();
    console.error(line);
  },
  cwd: process.cwd(),
  interrupted,
};

const COMMANDS = ['run', 'start', 'tap', 'export', 'ftp-server', 'help'];

const TOP_SPEC: CommandSpec = {
  owner: 'sockstep',
  command: 'sockstep',
  options: [],
  flags: ['version'],
  defaultsBase: PROJECT_ROOT,
  takenElsewhere: () => [],
  helpHint: '(sockstep --help lists the commands)',
};

const START_SPEC: CommandSpec = {
  owner: 'sockstep start',
  command: 'sockstep start',
  options: START_OPTIONS,
  flags: ['allow-remote'],
  defaultsBase: PROJECT_ROOT,
  takenElsewhere: () => [],
};

export async function main(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  try {
    const beforeDashes = argv.indexOf('--') < 0 ? argv : argv.slice(0, argv.indexOf('--'));
    if (beforeDashes.includes('--version')) {
      io.out(`sockstep ${packageVersion()}`);
      return 0;
    }
    const commandIndex = positionalIndexes(argv, takesValue)[0];
    if (commandIndex === undefined) {
      parseCommandArgs(argv, TOP_SPEC, io.cwd);
      io.out(mainHelp(packageVersion()));
      return 0;
    }
    const command = argv[commandIndex]!;
    const rest = without(argv, commandIndex);
    switch (command) {
      case 'help':
        io.out(mainHelp(packageVersion()));
        return 0;
      case 'run':
        return await runCommand(rest, io);
      case 'start': {
        const args = parseCommandArgs(rest, { ...START_SPEC, takenElsewhere: startOwners }, io.cwd);
        if (args.flags.has('help')) {
          io.out(startHelp(START_OPTIONS));
          return 0;
        }
        if (args.positionals.length > 0) throw new UsageError(`start takes no argument (got "${args.positionals[0]}")`);
        return await startCommand({
          host: String(args.values.host),
          port: Number(args.values.port),
          allowRemote: args.flags.has('allow-remote'),
          out: io.out,
          err: io.err,
        });
      }
      case 'view':
        return await viewCommand(rest, io);
      case 'tap':
        return await tapCommand(rest, io);
      case 'export':
        return await exportCommand(rest, io);
      case 'ftp-server':
        return await ftpServerCommand(rest, io);
      default: {
        const guess = closest(command, COMMANDS);
        throw new UsageError(`unknown command "${command}"${guess === undefined ? '' : `; did you mean ${guess}?`} (sockstep --help lists the commands)`);
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`sockstep: ${error.message}`);
      return 2;
    }
    if (error instanceof CliFailure) {
      io.err(`sockstep: ${error.message}`);
      return 1;
    }
    // Not one of ours: still one line, but say it is a bug.
    io.err(`sockstep: unexpected error (please report it): ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

/** `sockstep start --root x`: say who takes --root. */
function startOwners(name: string): string[] {
  return ownersOf(name).filter((owner) => owner !== 'sockstep start');
}
