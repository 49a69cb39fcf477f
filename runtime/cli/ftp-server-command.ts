/**
 * `sockstep ftp-server --root DIR [options]`: the FTP server of issue 9 on
 * real sockets, for curl, lftp, Python's ftplib, tnftp and your own
 * client, until Ctrl-C.
 *
 *   $ sockstep ftp-server --root ./share --port 0 --user alice:secret
 *   FTP server listening on 127.0.0.1 port 40235 (serving /home/me/share, read-only); stop it with Ctrl-C
 *     curl:   curl -u alice:secret ftp://127.0.0.1:40235/
 *     ...
 *
 * The machines are machines/ftp/server/ (listener → sessions → data
 * channels); this file only reads the options, opens the folder (jailed,
 * runtime/files/real-folder.ts) and starts the run. Each record is a line
 * (unless --quiet); the data connections' bytes are summarised (count,
 * first bytes, SHA-256 when the trace is kept: --trace or --inspect)
 * unless --trace-data full; control bytes are always whole, passwords
 * masked.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { accountsOf, LISTEN_BACKLOG, policyOf, type ServerPolicy } from '../../machines/ftp/server/config.ts';
import { ftpServerMachine } from '../../machines/ftp/server/listener.ts';
import { hintFor } from '../../machines/socket-calls.ts';
import { RealFolder } from '../files/real-folder.ts';
import { RunSystem } from '../run/run-system.ts';
import type { TraceRecord } from '../trace/records.ts';
import { Trace } from '../trace/trace.ts';
import { createTcpTransport } from '../transport/tcp.ts';
import { CliFailure, UsageError } from './cli-errors.ts';
import { CLI_TRACE_RETAIN } from './cli-run.ts';
import { optionLines, parseCommandArgs, type CommandOption, type CommandSpec } from './command-options.ts';
import type { CliIo } from './main.ts';
import { TerminalLines } from './terminal-lines.ts';
import { TraceFile } from './trace-file.ts';
import { connectHints } from '../ftp/connect-hints.ts';
import { inspectRun, type InspectLink } from '../ftp/inspect-link.ts';

/**
 * Node's write queue, and the bytes read ahead of recv(), per connection of the FTP server (the
 * transport's defaults are 256 KiB): bigger pieces for transfers, fewer wake-ups. Memory is only
 * used while a connection is that far behind (a transfer); an idle session holds none of it.
 */
export const TRANSFER_BUFFER_BYTES = 4 * 1024 * 1024;

export const FTP_SERVER_OPTIONS: readonly CommandOption[] = [
  { name: 'root', kind: 'text', metavar: 'DIR', example: './share', help: 'the folder to serve (nothing outside it can be reached)' },
  { name: 'port', kind: 'port', allowZero: true, default: 2121, help: 'port to listen on (0: any free port)' },
  { name: 'host', kind: 'host', default: '127.0.0.1', help: 'address to listen on (::1 for IPv6; 0.0.0.0 for every interface)' },
  { name: 'passive-ports', kind: 'text', metavar: 'FIRST-LAST', example: '50000-50100', help: 'ports for passive data connections (default: any free port)' },
  { name: 'max-clients', kind: 'count', help: 'control connections at once (default 2000); more get 421' },
  { name: 'max-per-address', kind: 'count', help: 'control connections at once from one address (default 1000)' },
  { name: 'idle-timeout', kind: 'seconds', help: 'close a control connection idle this long, with 421 (default 300)' },
  { name: 'data-timeout', kind: 'seconds', help: 'give up on a data connection that does not come or stalls (default 60)' },
  { name: 'max-login-failures', kind: 'count', help: 'wrong passwords per connection before 421 (default 3)' },
  { name: 'login-delay', kind: 'count', metavar: 'MS', help: 'delay before answering a wrong password, times the failures so far (default 1000)' },
  { name: 'trace', kind: 'text', metavar: 'FILE', example: 'ftp.jsonl', help: 'also write every trace record to FILE as JSON lines (trace version 2)' },
  { name: 'trace-data', kind: 'text', metavar: 'HOW', default: 'summary', help: "data connections in the trace: 'summary' (count, first bytes, SHA-256) or 'full'" },
];

const FLAGS = ['anonymous', 'write', 'inspect', 'quiet'];

const SPEC: CommandSpec = {
  owner: 'sockstep ftp-server',
  command: 'sockstep ftp-server',
  options: FTP_SERVER_OPTIONS,
  flags: FLAGS,
  defaultsBase: '.',
  takenElsewhere: () => [],
};

export function ftpServerHelp(): string {
  return [
    'sockstep ftp-server: an FTP server (RFC 959, 2428, 3659) for curl, lftp, ftplib and your own client, until Ctrl-C',
    '',
    'Usage: sockstep ftp-server --root DIR [options]',
    '',
    'Options:',
    ...optionLines(FTP_SERVER_OPTIONS, [
      ['--user NAME:PASSWORD', 'an account (give it once per user)'],
      ['--anonymous', 'allow anonymous login (USER anonymous, any password); off by default'],
      ['--write', 'allow uploads, deletes, renames and new folders; read-only by default'],
      ['--inspect', 'show the run live in the lesson app (start it first: sockstep start)'],
      ['--quiet', 'print only where it listens and what goes wrong, not a line per step'],
      ['--help', 'show this text'],
    ]),
    '',
    'Example: sockstep ftp-server --root ./share --port 0 --user alice:secret --write',
  ].join('\n');
}

/** '50000-50100' → the range; a line saying what is wrong otherwise. */
export function parsePortRange(text: string): { first: number; last: number } {
  const match = /^(\d{1,5})-(\d{1,5})$/.exec(text);
  const first = Number(match?.[1]);
  const last = Number(match?.[2]);
  if (match === null || first < 1024 || last > 65535 || first > last) {
    throw new UsageError(`--passive-ports must be FIRST-LAST with 1024 <= FIRST <= LAST <= 65535, as in --passive-ports 50000-50100 (got "${text}")`);
  }
  return { first, last };
}

/** Take every `--user NAME:PASSWORD` out of argv (the option may be given many times). */
function takeUsers(argv: readonly string[]): { users: { user: string; password: string }[]; rest: string[] } {
  const users: { user: string; password: string }[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    let value: string | undefined;
    if (word === '--user') {
      value = argv[i + 1];
      if (value === undefined) throw new UsageError('--user needs NAME:PASSWORD, as in --user alice:secret');
      i++;
    } else if (word.startsWith('--user=')) {
      value = word.slice('--user='.length);
    } else {
      rest.push(word);
      continue;
    }
    const colon = value.indexOf(':');
    if (colon <= 0 || colon === value.length - 1) {
      // Never echo what was typed: it may hold a password.
      throw new UsageError(`--user needs NAME:PASSWORD with both parts, as in --user alice:secret (the ${users.length + 1}${users.length === 0 ? 'st' : 'th'} --user has ${colon < 0 ? 'no ":"' : colon === 0 ? 'no name' : 'no password'})`);
    }
    users.push({ user: value.slice(0, colon), password: value.slice(colon + 1) });
  }
  return { users, rest };
}

export async function ftpServerCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { users, rest } = takeUsers(argv);
  const args = parseCommandArgs(rest, SPEC, io.cwd);
  if (args.flags.has('help')) {
    io.out(ftpServerHelp());
    return 0;
  }
  if (args.positionals.length > 0) throw new UsageError(`ftp-server takes no argument (got "${args.positionals[0]}"); sockstep ftp-server --help lists its options`);
  const v = args.values;
  if (v.root === undefined) throw new UsageError('ftp-server needs --root DIR, the folder to serve, as in --root ./share');
  const dataMode = String(v['trace-data']);
  if (dataMode !== 'summary' && dataMode !== 'full') throw new UsageError(`--trace-data must be 'summary' or 'full' (got "${dataMode}")`);
  if (v.trace === '') throw new UsageError('--trace needs a file name, as in --trace ftp.jsonl');
  const anonymous = args.flags.has('anonymous');
  if (users.length === 0 && !anonymous) throw new UsageError('nobody could log in: give --user NAME:PASSWORD (once per user), or --anonymous');
  const passivePorts = v['passive-ports'] === undefined ? null : parsePortRange(String(v['passive-ports']));

  const rootPath = resolve(io.cwd, String(v.root));
  let folder: RealFolder;
  try {
    folder = await RealFolder.open(rootPath);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(
      code === 'ENOENT' ? `--root ${String(v.root)}: there is no such folder` : code === 'ENOTDIR' ? `--root ${String(v.root)} is a file, not a folder` : `--root ${String(v.root)}: ${(error as Error).message}`,
    );
  }

  const given: Partial<ServerPolicy> = {
    accounts: accountsOf(users),
    anonymous,
    write: args.flags.has('write'),
    passivePorts,
    ...(v['idle-timeout'] !== undefined ? { idleTimeoutMs: Number(v['idle-timeout']) * 1000 } : {}),
    ...(v['data-timeout'] !== undefined ? { dataTimeoutMs: Number(v['data-timeout']) * 1000 } : {}),
    ...(v['max-login-failures'] !== undefined ? { maxFailedLogins: Number(v['max-login-failures']) } : {}),
    ...(v['login-delay'] !== undefined ? { loginDelayStepMs: Number(v['login-delay']) } : {}),
  };
  const policy = policyOf(given);
  const quiet = args.flags.has('quiet');
  const traceFile = v.trace === undefined ? null : new TraceFile(resolve(io.cwd, String(v.trace)));

  // Room for a crowd: the listener's backlog (LISTEN_BACKLOG) is only of use if the transport's own
  // queue of connections waiting for accept() is as long; and a bigger send buffer means fewer
  // wake-ups per transfer (a transfer hands its read buffers over, so nothing is copied into it).
  const transport = createTcpTransport({ acceptQueueLimit: LISTEN_BACKLOG, sendBufferBytes: TRANSFER_BUFFER_BYTES, receiveHighWaterMark: TRANSFER_BUFFER_BYTES });
  const trace = new Trace({ transport: 'tcp', clock: () => transport.now(), retain: io.retain ?? CLI_TRACE_RETAIN });
  const lines = new TerminalLines();
  let failFile!: (why: string) => void;
  const fileFailed = new Promise<string>((resolve) => (failFile = resolve));
  let listening!: (record: Extract<TraceRecord, { type: 'listen' }> | null) => void;
  const heard = new Promise<Extract<TraceRecord, { type: 'listen' }> | null>((resolve) => (listening = resolve));
  const show = (record: TraceRecord) => {
    if (!quiet) for (const line of lines.linesOf(record)) io.out(line);
    if (traceFile !== null && !traceFile.write(record) && traceFile.failure !== null) failFile(traceFile.failure);
    if (record.type === 'listen' && record.actor === 'ftp-server') listening(record);
    if (record.type === 'status' && record.actor === 'ftp-server') listening(null);
  };
  show(trace.header);
  trace.subscribe(show);

  let inspect: InspectLink | null = null;
  if (args.flags.has('inspect')) inspect = await inspectRun(trace, `ftp-server ${rootPath}`, io);
  // The SHA-256 of every transfer costs time (about 1.7 GB/s here): only when the trace is kept.
  const keep = traceFile !== null || inspect !== null;
  const run = new RunSystem({
    transport,
    trace,
    roles: { ftpServer: 'server', ftpSession: 'session', ftpData: 'session' },
    files: folder,
    transfer: { data: dataMode, ...(keep ? { hash: () => createHash('sha256') } : {}) },
  });
  const server = run.start(ftpServerMachine, {
    id: 'ftp-server',
    input: {
      host: String(v.host),
      port: Number(v.port),
      policy,
      ...(v['max-clients'] !== undefined ? { maxClients: Number(v['max-clients']) } : {}),
      ...(v['max-per-address'] !== undefined ? { maxPerAddress: Number(v['max-per-address']) } : {}),
    },
  });
  const record = await heard;
  if (record === null) {
    await run.stop();
    traceFile?.close();
    await inspect?.end('failed');
    const output = (await server.done) as { error?: { code: string; message: string } | null };
    const code = output.error?.code ?? null;
    const hint = hintFor(code);
    throw new CliFailure(`the FTP server cannot listen on ${String(v.host)} port ${Number(v.port)}: ${hint ?? output.error?.message ?? 'it stopped'}${hint === null ? '' : ` [${code}: ${output.error?.message}]`}`);
  }
  const mode = policy.write ? 'uploads allowed' : 'read-only';
  io.out(`FTP server listening on ${record.address.host} port ${record.address.port} (serving ${folder.where}, ${mode}); stop it with Ctrl-C`);
  for (const line of connectHints(record.address, users[0]?.user ?? 'anonymous', anonymous && users.length === 0)) io.out(line);

  const stop = io.interrupted();
  let ended: string;
  try {
    ended = await Promise.race([stop.promise, fileFailed, server.done.then(() => 'the server stopped by itself')]);
  } finally {
    stop.dispose();
    await run.stop();
    traceFile?.close();
    await inspect?.end('stopped');
  }
  if (ended !== 'interrupted') throw new CliFailure(`${ended}; every socket is closed`);
  io.out('ftp-server: every socket is closed');
  return 0;
}
