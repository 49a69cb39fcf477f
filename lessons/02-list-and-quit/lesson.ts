/**
 * Lesson 2: LIST and QUIT. server1a answers one client at a time, reading
 * commands through a line buffer; client1a sends LIST, then QUIT.
 * Browser-safe.
 */
import { client1aMachine } from '../../machines/commands/client1a.ts';
import { server1aMachine } from '../../machines/commands/server1a.ts';
import { session1aMachine } from '../../machines/commands/session1a.ts';
import { LOOPBACK_MSS } from '../../runtime/transport/sim/index.ts';
import { defineLesson, type CliOption, type CliValues, type LessonMachine } from '../lesson-types.ts';

const host: CliOption = { name: 'host', kind: 'host', help: 'address to listen on or connect to', default: '127.0.0.1' };

/** The folder `sockstep run server1a` lists when no --root is given: relative to the Sockstep folder. */
export const SAMPLE_FOLDER = 'lessons/02-list-and-quit/sample';

/** The folder of the main run: what LIST lists on the simulated network. */
export const SAMPLE_FILES = {
  'hello.txt': 'Hello! This file is in the sample folder of lesson 2.\n',
  'notes.md': '# Notes\n',
  'photos/cat.txt': 'a picture would go here\n',
  'todo.txt': 'try LIST, then QUIT\n',
};

/** The main run's folder with two names that must not be sent raw: one with a newline, one with a byte that is not UTF-8. */
export const ODD_FILES = {
  ...SAMPLE_FILES,
  'two\nlines.txt': '',
  // "café" with é as the single Latin-1 byte E9, as an old system might have written it (see file-calls.ts).
  'caf\uDCE9.txt': '',
};

/** The script lines of a session's calls (session1a, session2): shared with lesson 3, whose server2.py holds the same handle(). */
export function sessionLines(prefix: string): Record<string, string> {
  return {
    [`${prefix}.greeting`]: 'conn.sendall(b"+OK ready',
    [`${prefix}.reading`]: 'conn.recv(1024)',
    [`${prefix}.listing`]: 'os.listdir(root)',
    [`${prefix}.sendingListing`]: 'conn.sendall(reply)',
    [`${prefix}.refusingCommand`]: 'conn.sendall(b"-ERR unknown',
    [`${prefix}.refusingBytes`]: 'conn.sendall(b"-ERR that line',
    [`${prefix}.refusingLongLine`]: 'conn.sendall(TOO_LONG)',
    [`${prefix}.sayingGoodbye`]: 'conn.sendall(b"+OK bye',
    [`${prefix}.closing`]: 'conn.close()',
  };
}

/** The client's lines in client1a.py (lesson 2) or client2.py (lesson 3): the same script. */
export function clientLines(prefix: string): Record<string, string> {
  return {
    [`${prefix}.connecting`]: 'sock.connect(',
    [`${prefix}.sendingAll`]: 'sock.sendall("".join(',
    [`${prefix}.receiving`]: 'sock.recv(1024)',
    [`${prefix}.sending`]: 'sock.sendall((command + end)',
    [`${prefix}.sendingRest`]: 'sock.sendall((command + end)',
    [`${prefix}.closing`]: 'sock.close()',
  };
}

/** `--commands LIST,QUIT` as a list. */
export function commandsOf(values: CliValues): string[] {
  return String(values.commands ?? 'LIST,QUIT')
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

/** The CLI options of a server of this protocol (server1a, server2). */
export function serverOptions(): CliOption[] {
  return [
    host,
    { name: 'port', kind: 'port', help: 'port to listen on (0: any free port)', default: 12345, allowZero: true },
    { name: 'backlog', kind: 'count', help: 'how many clients may wait to be accepted', default: 5 },
    { name: 'root', kind: 'folder', help: 'folder whose names LIST sends', default: SAMPLE_FOLDER },
  ];
}

/** The CLI options of a client of this protocol (client1a, client2). */
export function clientOptions(): CliOption[] {
  return [
    host,
    { name: 'port', kind: 'port', help: 'port of the server', default: 12345 },
    { name: 'commands', kind: 'text', help: 'the commands to send, in order, separated by commas', default: 'LIST,QUIT' },
    { name: 'pause', kind: 'seconds', help: 'wait this long before each command (default: no wait)' },
  ];
}

export function serverInput(values: CliValues) {
  return { host: values.host, port: values.port, backlog: values.backlog };
}

export function clientInput(values: CliValues) {
  return {
    host: values.host,
    port: values.port,
    commands: commandsOf(values),
    pauseMs: typeof values.pause === 'number' ? values.pause * 1000 : 0,
  };
}

export const server1aEntry: LessonMachine = {
  machine: server1aMachine,
  role: 'server',
  script: 'server1a.py',
  lines: {
    'server1a.binding': 'listening.listen(args.backlog)',
    'server1a.accepting': 'listening.accept()',
    // closingListener: server1a.py closes its listening socket only on Ctrl-C, which a run never shows.
  },
  cli: {
    summary: 'answer LIST with the names in a folder and QUIT with a goodbye, one client at a time (lesson 2)',
    options: serverOptions(),
    input: serverInput,
  },
};

export const session1aEntry: LessonMachine = {
  machine: session1aMachine,
  role: 'session',
  script: 'server1a.py',
  lines: sessionLines('session1a'),
};

const server = (maxClients: number) => ({
  actor: 'server1a',
  machine: server1aMachine,
  input: ({ host, port }: { host: string; port: number }) => ({ host, port, maxClients }),
});

export default defineLesson({
  id: '02-list-and-quit',
  machines: [
    server1aEntry,
    session1aEntry,
    {
      machine: client1aMachine,
      role: 'client',
      script: 'client1a.py',
      lines: clientLines('client1a'),
      cli: {
        summary: 'send LIST, then QUIT, and print every reply (lesson 2)',
        options: clientOptions(),
        input: clientInput,
      },
    },
  ],
  scenarios: [
    {
      id: 'list-and-quit',
      title: 'LIST, then QUIT',
      files: SAMPLE_FILES,
      // Linux on loopback, but every other write cut in two at a seeded point: a command may reach the server in two pieces.
      network: { segmentation: { kind: 'mss', size: LOOPBACK_MSS, cutChance: 0.5 } },
      servers: [server(1)],
      clients: [{ actor: 'client1a', machine: client1aMachine, input: ({ host, port }) => ({ host, port }) }],
    },
    {
      id: 'typing-ahead',
      title: 'commands typed ahead',
      files: ODD_FILES,
      // As above, and the server wakes up to 3 ms after bytes arrive, so bytes that land meanwhile join the same read.
      network: { segmentation: { kind: 'mss', size: LOOPBACK_MSS, cutChance: 0.5 }, readDelayMs: 3 },
      servers: [server(1)],
      clients: [
        {
          actor: 'client1a',
          machine: client1aMachine,
          input: ({ host, port }) => ({ host, port, allAtOnce: true, crlf: true, commands: ['list', 'HELP', 'QUIT'] }),
        },
      ],
    },
  ],
});
