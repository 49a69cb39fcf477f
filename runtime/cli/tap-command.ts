/**
 * `sockstep tap --listen PORT --to HOST:PORT [faults] [--trace FILE] [--host H]`:
 * relay your own client and your own server through the tap and watch both,
 * one line per record, until Ctrl-C (runtime/tap/).
 *
 *   $ sockstep tap --listen 2121 --to 127.0.0.1:21
 *   tap listening on 127.0.0.1 port 2121, relaying to 127.0.0.1:21; stop it with Ctrl-C
 *   [   812.204 ms] client connects from 127.0.0.1:51820 to 127.0.0.1:2121: connection c1 (control) is open.
 */
import { resolve } from 'node:path';
import { endpointText, hintFor, type Endpoint } from '../../machines/socket-calls.ts';
import { startTap } from '../tap/tap.ts';
import type { TraceRecord } from '../trace/records.ts';
import { Trace } from '../trace/trace.ts';
import { isTransportError } from '../transport/errors.ts';
import { createTcpTransport } from '../transport/tcp.ts';
import { CliFailure, UsageError } from './cli-errors.ts';
import { CLI_TRACE_RETAIN } from './cli-run.ts';
import { optionLines, parseCommandArgs, type CommandOption, type CommandSpec } from './command-options.ts';
import { APP_PORT_OPTION, appPortOf, closeInspector, INSPECT_HELP, openInspector, type Inspector } from './inspect.ts';
import type { CliIo } from './main.ts';
import { TerminalLines } from './terminal-lines.ts';
import { TraceFile } from './trace-file.ts';

export const TAP_OPTIONS: readonly CommandOption[] = [
  { name: 'listen', kind: 'port', allowZero: true, example: '2121', help: 'port your client connects to (0: any free port)' },
  { name: 'to', kind: 'text', metavar: 'HOST:PORT', example: '127.0.0.1:21', help: 'where your server listens' },
  { name: 'host', kind: 'host', default: '127.0.0.1', help: 'address the tap listens on (0.0.0.0: every interface)' },
  { name: 'chunk', kind: 'count', help: 'deliver the bytes in pieces of at most N bytes' },
  { name: 'delay', kind: 'count', metavar: 'MS', help: 'wait MS milliseconds before each piece' },
  { name: 'reset-after', kind: 'count', metavar: 'BYTES', help: 'reset both programs once BYTES bytes have passed' },
  { name: 'trace', kind: 'text', metavar: 'FILE', example: 'tap.jsonl', help: 'also write every trace record to FILE as JSON lines (trace version 2)' },
  APP_PORT_OPTION,
];

const TAP_SPEC: CommandSpec = {
  owner: 'sockstep tap',
  command: 'sockstep tap',
  options: TAP_OPTIONS,
  flags: ['inspect', 'no-open'],
  defaultsBase: '.',
  takenElsewhere: () => [],
};

export function tapHelp(): string {
  return [
    'sockstep tap: relay your own client and server through the tap and watch both, until Ctrl-C',
    '',
    'Usage: sockstep tap --listen PORT --to HOST:PORT [options]',
    '',
    'Point your client at the tap (127.0.0.1, port PORT); the tap connects on to your server',
    'at HOST:PORT and passes every byte, FIN and reset on, recording what each program does.',
    'FTP works in passive and active mode: the tap rewrites PORT, EPRT, 227 and 229 so that',
    'the data connections go through it too.',
    '',
    'Options:',
    ...optionLines(TAP_OPTIONS, [...INSPECT_HELP, ['--help', 'show this text']]),
    '',
    'Example: sockstep tap --listen 2121 --to 127.0.0.1:21 --chunk 1 --trace tap.jsonl',
  ].join('\n');
}

/** 'HOST:PORT', or '[IPv6]:PORT' (RFC 3986 section 3.2.2). */
export function parseHostPort(text: string): Endpoint | null {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text);
  if (match === null) return null;
  const port = Number(match[2]);
  if (!(port >= 1 && port <= 65535)) return null;
  return { host: match[1]!, port };
}

export async function tapCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, TAP_SPEC, io.cwd);
  if (args.flags.has('help')) {
    io.out(tapHelp());
    return 0;
  }
  if (args.positionals.length > 0) throw new UsageError(`tap takes no argument (got "${args.positionals[0]}"); sockstep tap --help lists its options`);
  const v = args.values;
  if (v.listen === undefined || v.to === undefined) {
    throw new UsageError(
      `tap needs --listen PORT (where your client connects) and --to HOST:PORT (where your server listens), as in sockstep tap --listen 2121 --to 127.0.0.1:21`,
    );
  }
  const to = parseHostPort(String(v.to));
  if (to === null) throw new UsageError(`--to must be HOST:PORT with a port from 1 to 65535, as in --to 127.0.0.1:21 or --to [::1]:21 (got "${v.to}")`);
  if (v.trace === '') throw new UsageError('--trace needs a file name, as in --trace tap.jsonl');
  const listen = { host: String(v.host), port: Number(v.listen) };
  const faults = {
    ...(v.chunk === undefined ? {} : { chunk: Number(v.chunk) }),
    ...(v.delay === undefined ? {} : { delayMs: Number(v.delay) }),
    ...(v['reset-after'] === undefined ? {} : { resetAfter: Number(v['reset-after']) }),
  };
  const traceFile = v.trace === undefined ? null : new TraceFile(resolve(io.cwd, String(v.trace)));

  const transport = createTcpTransport();
  const trace = new Trace({ transport: 'tcp', clock: () => transport.now(), retain: io.retain ?? CLI_TRACE_RETAIN });
  const lines = new TerminalLines();
  let failFile!: (why: string) => void;
  const fileFailed = new Promise<string>((resolve) => (failFile = resolve));
  const show = (record: TraceRecord) => {
    for (const line of lines.linesOf(record)) io.out(line);
    if (traceFile !== null && !traceFile.write(record) && traceFile.failure !== null) failFile(traceFile.failure);
  };
  show(trace.header);
  trace.subscribe(show);

  // --inspect: the page may stop the tap; it hears back once every socket is closed.
  let stoppedFromPage!: (message: string) => void;
  const pageStop = new Promise<string>((resolve) => (stoppedFromPage = resolve));
  let socketsClosed!: () => void;
  const closed = new Promise<void>((resolve) => (socketsClosed = resolve));
  let inspector: Inspector | null = null;
  if (args.flags.has('inspect')) {
    inspector = await openInspector({
      title: `tap ${listen.port === 0 ? '' : `on port ${listen.port} `}→ ${endpointText(to)}`,
      kind: 'tap',
      what: 'the tap',
      trace,
      port: appPortOf(v['app-port']),
      open: !args.flags.has('no-open'),
      out: io.out,
      err: io.err,
      onStopped: (message) => {
        stoppedFromPage(message);
        return closed;
      },
    });
  } else if (v['app-port'] !== undefined || args.flags.has('no-open')) {
    throw new UsageError(`${v['app-port'] !== undefined ? '--app-port' : '--no-open'} goes with --inspect (the page of the tap)`);
  }

  let tap;
  try {
    tap = await startTap({ transport, trace, listen, to, faults });
  } catch (error) {
    traceFile?.close();
    await inspector?.end({ reason: 'failed', message: 'the tap could not listen' });
    await inspector?.close();
    const code = isTransportError(error) ? error.code : null;
    const hint = hintFor(code);
    const raw = error instanceof Error ? error.message : String(error);
    throw new CliFailure(`the tap cannot listen on ${listen.host} port ${listen.port}: ${hint ?? raw}${hint === null ? '' : ` [${code}: ${raw}]`}`);
  }
  io.out(`tap listening on ${tap.address.host} port ${tap.address.port}, relaying to ${endpointText(to)}; stop it with Ctrl-C`);
  const stop = io.interrupted();
  let ended: 'interrupted' | string | { page: string };
  try {
    ended = await Promise.race([stop.promise, fileFailed, pageStop.then((page) => ({ page }))]);
  } finally {
    // A second Ctrl-C while sockets close stops the process at once (Node's default).
    stop.dispose();
    await tap.stop();
    socketsClosed();
    traceFile?.close();
  }
  const count = `${tap.relayed} connection${tap.relayed === 1 ? '' : 's'} relayed`;
  if (inspector !== null) {
    await inspector.end(
      ended === 'interrupted'
        ? { reason: 'stopped', message: 'stopped with Ctrl-C' }
        : typeof ended === 'string'
          ? { reason: 'failed', message: ended }
          : { reason: 'stopped', message: ended.page },
    );
    await closeInspector(inspector, io, 'The tap has stopped', ended === 'interrupted');
  }
  if (typeof ended === 'object') {
    io.out(`tap: stopped from the page; every socket is closed (${count})`);
    return 0;
  }
  if (ended !== 'interrupted') throw new CliFailure(`${ended}; the tap was stopped (${count}) and every socket is closed`);
  io.out(`tap: every socket is closed (${count})`);
  return 0;
}
