/**
 * `sockstep` command line.
 *
 *   sockstep start [--port N] [--host H]            serve the lesson app
 *   sockstep run server1 [--host H] [--port N] [--trace FILE]
 *   sockstep run client1 [--host H] [--port N] [--trace FILE]
 *
 * Bad input gets one line on stderr and a non-zero exit, never a stack trace:
 * exit 2 for a usage mistake, 1 for a failure while running.
 */
import { parseArgs } from 'node:util';
import { runCommand } from './run-command.ts';
import { startCommand } from './start-command.ts';
import { UsageError, CliFailure } from './cli-errors.ts';
import { parseHost, parsePort } from './options.ts';

export const HELP = `sockstep — step through socket programming

Usage:
  sockstep start [--port N] [--host H]
      Build the lesson app if needed and serve it (default http://127.0.0.1:4173).
  sockstep run server1 [--host H] [--port N] [--trace FILE]
      Run lesson 1's server machine on a real port (default 127.0.0.1:12345;
      --port 0 picks a free port; --host 0.0.0.0 lets other machines connect).
      Runs until Ctrl-C.
  sockstep run client1 [--host H] [--port N] [--trace FILE]
      Run lesson 1's client machine against a server (default 127.0.0.1:12345).

Options:
  --trace FILE   also write every trace record to FILE as JSON lines
  --help         show this text
`;

export async function main(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          host: { type: 'string' },
          port: { type: 'string' },
          trace: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (error) {
      throw new UsageError((error as Error).message.split('\n')[0]!);
    }
    const { values, positionals } = parsed;
    const [command, target, ...extra] = positionals;
    if (values.help || command === undefined || command === 'help') {
      out(HELP);
      return 0;
    }
    if (command === 'start') {
      if (target !== undefined) throw new UsageError(`start takes no argument (got "${target}")`);
      return await startCommand({ host: parseHost(values.host, '127.0.0.1'), port: parsePort(values.port, 4173, { allowZero: true }), out });
    }
    if (command === 'run') {
      if (target === undefined) throw new UsageError('run needs a machine: server1 or client1');
      if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
      return await runCommand({
        machine: target,
        host: values.host,
        port: values.port,
        traceFile: values.trace,
        out,
      });
    }
    throw new UsageError(`unknown command "${command}" (try: sockstep --help)`);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`sockstep: ${error.message}`);
      return 2;
    }
    if (error instanceof CliFailure) {
      console.error(`sockstep: ${error.message}`);
      return 1;
    }
    // Not one of ours: still one line, but say it is a bug.
    console.error(`sockstep: unexpected error (please report it): ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
