// The sockstep command in-process: every mistake is one line of ours with its exit code;
// --version, --help, run --list and run <machine> --help; a run's trace file and memory window.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assign, emit, setup } from 'xstate';
import { defineLesson } from '../../lessons/lesson-types.ts';
import { fileActors } from '../../machines/file-calls.ts';
import { runnableMachines } from '../../lessons/index.ts';
import { startCliRun } from '../../runtime/cli/cli-run.ts';
import { sockstepIn } from '../helpers/cli-in-process.ts';
import { TraceFile } from '../../runtime/cli/trace-file.ts';
import { parseJsonLines } from '../../runtime/trace/json.ts';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const scratch = mkdtempSync(join(tmpdir(), 'sockstep-main-'));

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const sockstep = (argv: string[]) => sockstepIn(scratch, argv);

/** The machines that take --root, as the message names them: at most three, then '…'. */
const rootMachines = runnableMachines().filter(({ entry }) => entry.cli!.options.some((o) => o.name === 'root')).map(({ entry }) => entry.machine.id);
const rootOwners = `${(rootMachines.length > 3 ? [...rootMachines.slice(0, 3), '…'] : rootMachines).join(', ')} ${rootMachines.length === 1 ? 'does' : 'do'}`;

/** A machine's options as a message lists them: its lesson's, then --trace and --app-port (every machine's). */
function optionsOf(machine: string): string {
  const own = runnableMachines().find(({ entry }) => entry.machine.id === machine)!.entry.cli!.options.map((o) => `--${o.name}`);
  return [...own, '--trace', '--app-port'].join(', ');
}

async function busyPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(r)));
  return (server.address() as { port: number }).port;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('a mistake in the command: one line of ours, exit 2, nothing else', () => {
  const cases: [string[], string][] = [
    [['run', 'client1', '--port', '-1'], '--port must be a whole number from 1 to 65535 (got "-1")'],
    [['run', 'server1', '--port', '-1'], '--port must be a whole number from 0 to 65535 (got "-1")'],
    [['run', 'server1', '--port=70000'], '--port must be a whole number from 0 to 65535 (got "70000")'],
    [['run', 'client1', '--port', '0'], '--port must be a whole number from 1 to 65535 (got "0")'],
    [['run', 'server1', '--prot', '5'], 'unknown option --prot; did you mean --port? (sockstep run server1 --help lists its options)'],
    [['run', 'server1', '--colour'], 'unknown option --colour (sockstep run server1 --help lists its options)'],
    [['run', 'server1', '-p', '5'], 'unknown option -p (sockstep run server1 --help lists its options)'],
    [['run', 'server1', '--port'], '--port needs a value, as in --port 12345'],
    [['run', 'server1', '--port', '--host', '::1'], '--port needs a value, as in --port 12345'],
    [['run', 'server1', '--trace'], '--trace needs a value, as in --trace run.jsonl'],
    [['run', 'server1', '--port', '1', '--port', '2'], '--port is given twice ("1", then "2"); give it once'],
    [['run', 'server1', '--help=yes'], '--help takes no value (got "yes")'],
    [['run', 'client1', '--host', ''], '--host must not be empty (use 127.0.0.1 for this machine only, 0.0.0.0 for every interface)'],
    [['run', 'server1', 'extra'], 'unexpected argument "extra" after the machine (sockstep run server1 --help lists its options)'],
    [['run', 'server9'], 'unknown machine "server9"; did you mean server1? (sockstep run --list shows every machine)'],
    [['run', 'ftp'], 'unknown machine "ftp" (sockstep run --list shows every machine)'],
    [['run'], 'run needs a machine, as in sockstep run server1 (sockstep run --list shows every machine)'],
    [['run', '--list', 'server1'], '--list lists every machine; leave out "server1" (or see its options: sockstep run server1 --help)'],
    [['run', 'server1', '--trace', ''], '--trace needs a file name, as in --trace run.jsonl'],
    [['run', 'server1', '--trace', '/no/such/folder/t.jsonl'], 'cannot write the trace to "/no/such/folder/t.jsonl": its folder does not exist'],
    [['run', 'server1', '--trace', '/'], 'cannot write the trace to "/": that is a folder'],
    [['start', '--trace', 'x'], 'sockstep start takes no --trace option (sockstep run does); its options are --host, --port'],
    [['run', 'client1', '--root', '.'], `client1 takes no --root option (${rootOwners}); its options are ${optionsOf('client1')}`],
    [['start', '--root', '.'], `sockstep start takes no --root option (${rootOwners}); its options are --host, --port`],
    [['run', 'server2', '--root', 'no-such-folder'], '--root must be a folder that exists (got "no-such-folder": there is no such folder)'],
    [['run', 'server2', '--rot', '.'], 'unknown option --rot; did you mean --root? (sockstep run server2 --help lists its options)'],
    [['run', 'client2', '--pause', '0'], '--pause must be a number of seconds, more than 0 and at most 2147483 (about 24 days) (got "0")'],
    [['run', 'client2', '--commands'], '--commands needs a value, as in --commands LIST,QUIT'],
    [['run', 'session2'], 'session2 cannot run alone: another machine of lesson 03-thread-per-client starts it (sockstep run --list shows the machines that can)'],
    [['start', '--host', ' '], '--host must not be empty (use 127.0.0.1 for this machine only, 0.0.0.0 for every interface)'],
    [['start', '--port', '65536'], '--port must be a whole number from 0 to 65535 (got "65536")'],
    [['start', 'now'], 'start takes no argument (got "now")'],
    [['fly'], 'unknown command "fly" (sockstep --help lists the commands)'],
    [['strat'], 'unknown command "strat"; did you mean start? (sockstep --help lists the commands)'],
    [['--colour'], 'unknown option --colour (sockstep --help lists the commands)'],
  ];
  it.each(cases)('%j', async (argv, message) => {
    const run = sockstep(argv);
    expect(await run.code).toBe(2);
    expect(run.err).toEqual([`sockstep: ${message}`]);
    expect(run.out).toEqual([]);
  });
});

describe('a failure while running: one line saying what happened and what to try, exit 1', () => {
  it.skipIf(!existsSync('/dev/full'))('a trace file that cannot be written stops the run', async () => {
    const run = sockstep(['run', 'server1', '--port', '0', '--trace', '/dev/full']);
    expect(await run.code).toBe(1);
    expect(run.err).toEqual(['sockstep: cannot write the trace to "/dev/full": the disk is full; server1 was stopped and every socket is closed']);
  });

  const cases: [string, () => Promise<string[]>, RegExp][] = [
    [
      'port in use',
      async () => ['run', 'server1', '--port', String(await busyPort())],
      /^sockstep: server1 cannot serve on 127\.0\.0\.1 port \d+: Another program is already listening on that port\. Stop it, or choose another port \(0 picks a free one\)\. \[EADDRINUSE: .+\]$/,
    ],
    [
      'connection refused',
      async () => ['run', 'client1', '--port', String(await closedPort())],
      /^sockstep: client1 cannot talk to 127\.0\.0\.1 port \d+: Nothing is listening on that port\. Start the server first, or check the host and port\. \[ECONNREFUSED: .+\]$/,
    ],
    [
      'unknown host',
      async () => ['run', 'client1', '--host', 'no-such-host.invalid'],
      /^sockstep: client1 cannot talk to no-such-host\.invalid port 12345: That host name could not be found\. .* \[ENOTFOUND: .+\]$/,
    ],
  ];
  it.each(cases)('%s', async (_name, argv, message) => {
    const run = sockstep(await argv());
    expect(await run.code).toBe(1);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toMatch(message);
    // The run's own lines say it too: the machine's failed state, in the describer's words.
    expect(run.out.join('\n')).toMatch(/has failed: /);
  });
});

describe('what there is to run', () => {
  it('--version prints the package version', async () => {
    for (const argv of [['--version'], ['run', 'server1', '--version']]) {
      const run = sockstep(argv);
      expect(await run.code).toBe(0);
      expect(run.out).toEqual([`sockstep ${version}`]);
    }
  });

  it('--help lists the commands and points at run --list and run <machine> --help', async () => {
    for (const argv of [[], ['--help'], ['-h'], ['help']]) {
      const run = sockstep(argv);
      expect(await run.code).toBe(0);
      const text = run.out.join('\n');
      expect(text).toMatch(/sockstep run <machine> \[options\]/);
      expect(text).toMatch(/sockstep run --list/);
      expect(text).toMatch(/sockstep run <machine> --help/);
      expect(text).toMatch(/sockstep start/);
      expect(text).toMatch(/--version/);
    }
  });

  it('run --list shows every runnable machine under its lesson, with its summary', async () => {
    const run = sockstep(['run', '--list']);
    expect(await run.code).toBe(0);
    const text = run.out.join('\n');
    for (const { entry } of runnableMachines()) {
      expect(text).toMatch(new RegExp(`^  ${entry.machine.id} +${escape(entry.cli!.summary)}$`, 'm'));
    }
    expect(text).toMatch(/^Lesson 1 — \S.*$/m);
    // Grouped: each machine's line comes after its lesson's heading and before the next one.
    const headings = [...text.matchAll(/^Lesson (\d+) — /gm)].map((m) => Number(m[1]));
    expect(headings).toEqual([...headings].sort((a, b) => a - b));
  });

  it.each(runnableMachines().map(({ entry }) => [entry.machine.id, entry]))('run %s --help shows its options with defaults and help', async (id, entry) => {
    const run = sockstep(['run', id, '--help']);
    expect(await run.code).toBe(0);
    const text = run.out.join('\n');
    expect(text).toMatch(new RegExp(`^Usage: sockstep run ${id} \\[options\\]$`, 'm'));
    for (const option of entry.cli!.options) {
      const line = text.split('\n').find((l) => l.startsWith(`  --${option.name} `));
      expect(line, `--${option.name} in help`).toBeDefined();
      expect(line).toContain(option.help);
      if (option.default !== undefined) expect(line).toContain(`(default ${option.default})`);
    }
    expect(text).toMatch(/^ {2}--trace FILE +also write every trace record/m);
    expect(text).toMatch(/^ {2}--help +show this text$/m);
  });

  it('server1 --help names --host and --port (the old help left them out)', async () => {
    const run = sockstep(['run', 'server1', '--help']);
    expect(await run.code).toBe(0);
    expect(run.out.join('\n')).toMatch(/^ {2}--host HOST +address to listen on .*\(default 127\.0\.0\.1\)$/m);
    expect(run.out.join('\n')).toMatch(/^ {2}--port N +port to listen on \(0: any free port\) \(default 12345\)$/m);
  });

  it('start --help shows its options', async () => {
    const run = sockstep(['start', '--help']);
    expect(await run.code).toBe(0);
    expect(run.out.join('\n')).toMatch(/^ {2}--port N +port to serve on \(0: any free port\) \(default 4173\)$/m);
  });
});

describe('a run', () => {
  it('keeps a bounded window of records in memory while the trace file gets every one', async () => {
    const greeting = runnableMachines().find(({ entry }) => entry.machine.id === 'server1')!;
    const path = join(scratch, 'window.jsonl');
    const lines: string[] = [];
    const run = await startCliRun({ ...greeting, values: { host: '127.0.0.1', port: 0 }, traceFile: new TraceFile(path), out: (l) => lines.push(l), retain: 5 });
    cleanups.push(() => run.stop());
    await until(() => lines.some((l) => /is listening on/.test(l)));
    const port = Number(/port (\d+);/.exec(lines.find((l) => /is listening on/.test(l))!)![1]);
    for (let i = 0; i < 10; i++) {
      const socket = connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.on('close', resolve).resume());
    }
    await until(() => lines.filter((l) => /server1 closes its end of c10/.test(l)).length === 1);
    await run.stop();
    expect(run.trace.records.length).toBeLessThanOrEqual(1 + 2 * 5);
    expect(run.trace.dropped).toBeGreaterThan(50);
    const written = parseJsonLines(readFileSync(path, 'utf8'));
    expect(written.length).toBe(run.trace.dropped + run.trace.records.length);
    expect(written.map((r) => r.seq)).toEqual(written.map((_, i) => i));
    expect(written.filter((r) => r.type === 'send')).toHaveLength(10);
  });

  it('stops on Ctrl-C, closes every socket and says so last', async () => {
    const run = sockstep(['run', 'server1', '--port', '0']);
    await until(() => run.out.some((l) => /is listening on/.test(l)));
    run.stop();
    expect(await run.code).toBe(0);
    expect(run.out.at(-1)).toBe('server1: every socket is closed');
    expect(run.err).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('a machine with a folder option', () => {
  it('gets that folder, on disk, for its file calls; what it prints is shown as its own output', async () => {
    const folder = join(scratch, 'root');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'b.txt'), '');
    writeFileSync(join(folder, 'a.txt'), '');
    const lister = setup({ actors: { list: fileActors.list }, types: { context: {} as { names: string[] } } }).createMachine({
      id: 'lister',
      context: { names: [] },
      initial: 'listing',
      states: {
        listing: {
          invoke: {
            src: 'list',
            input: { path: '.' },
            onDone: { target: 'done', actions: [assign({ names: ({ event }) => event.output.names }), emit(({ event }) => ({ type: 'print', text: event.output.names.join('\n') }))] },
          },
        },
        done: { type: 'final' },
      },
    });
    const entry = {
      machine: lister,
      role: 'client' as const,
      cli: { summary: 'list a folder', options: [{ name: 'root', kind: 'folder' as const, help: 'the folder' }], input: () => ({}) },
    };
    const lesson = defineLesson({ id: '99-test', machines: [entry], scenarios: [] });
    const lines: string[] = [];
    const run = await startCliRun({ lesson, entry, values: { root: folder }, traceFile: null, out: (l) => lines.push(l) });
    cleanups.push(() => run.stop());
    expect(await run.done).toMatchObject({ kind: 'finished' });
    expect(lines).toContain('lister: a.txt');
    expect(lines).toContain('lister: b.txt');
    expect(lines.some((l) => /lister lists its folder: 2 names\./.test(l))).toBe(true);
  });
});
