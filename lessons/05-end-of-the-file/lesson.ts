/**
 * Lesson 5: RETR somefile.txt, and where a file ends. The course's
 * server2a/client2a take 2 seconds without data as the end; beside them,
 * two ways that do not guess: the server closes the connection (2b), the
 * server sends the size first (2c). One fault knob, a server that stalls
 * mid-file, shows the difference; a fourth run asks for a file that is not
 * there. Each program has a folder of its own: the server's holds
 * somefile.txt, the client's is where afile.txt appears. Browser-safe.
 */
import { client2aMachine } from '../../machines/retr/client2a.ts';
import { client2bMachine } from '../../machines/retr/client2b.ts';
import { client2cMachine } from '../../machines/retr/client2c.ts';
import { LOCAL_FILE, REMOTE_FILE } from '../../machines/retr/retr-protocol.ts';
import { server2aMachine } from '../../machines/retr/server2a.ts';
import { server2bMachine } from '../../machines/retr/server2b.ts';
import { server2cMachine } from '../../machines/retr/server2c.ts';
import type { AnyStateMachine } from 'xstate';
import type { ScenarioKnob } from '../knobs.ts';
import { defineLesson, type CliOption, type LessonMachine, type Scenario } from '../lesson-types.ts';

/** files/somefile.txt, for the simulated runs (the page reads no disk); a test checks the two are the same. */
export const SOMEFILE = [
  "This is somefile.txt, on the server's side.",
  'The server sends it line by line,',
  'and the client saves what it gets as afile.txt.',
  'TCP carries the bytes in order and loses none,',
  'but it never says where a file ends.',
  "The course's client waits: two seconds of silence,",
  'and it takes the file to be over.',
  'A server that stalls for longer than that',
  'looks exactly like a server that is done.',
  'So the client saves the lines it has,',
  'and the rest arrive to a closed connection.',
  'If you read this line in afile.txt, the whole file arrived.',
]
  .map((line) => `${line}\n`)
  .join('');

/** The folder `sockstep run server2a` sends from when no --root is given: relative to the Sockstep folder. */
export const FILES_FOLDER = 'lessons/05-end-of-the-file/files';

/**
 * The knob: the server stalls before the bytes past the 200th it sends
 * (its "+OK\n" and four lines of somefile.txt are out by then).
 */
export const STALL_AFTER_BYTES = 200;
const KNOBS: readonly ScenarioKnob[] = [{ id: 'stall', afterBytes: STALL_AFTER_BYTES, cause: 'the "Sender stalls" knob' }];

const host: CliOption = { name: 'host', kind: 'host', help: 'address to listen on or connect to', default: '127.0.0.1' };

function serverEntry(machine: AnyStateMachine, script: string, summary: string): LessonMachine {
  const id = machine.id;
  return {
    machine,
    role: 'server',
    script,
    lines: {
      [`${id}.binding`]: 'listening.listen(5)',
      [`${id}.accepting`]: 'listening.accept()',
      [`${id}.reading`]: 'chunk = conn.recv(1024)',
      [`${id}.refusing`]: 'conn.sendall(UNKNOWN)',
      [`${id}.refusingLongLine`]: 'conn.sendall(TOO_LONG)',
      [`${id}.opening`]: 'f = open_in(root, name)',
      [`${id}.sendingError`]: 'conn.sendall(error_line(name, error))',
      [`${id}.sendingStatus`]: 'conn.sendall(status)',
      [`${id}.readingFile`]: 'for line in f:',
      [`${id}.sendingLine`]: 'conn.sendall(line)',
      [`${id}.closingFile`]: 'f.close()',
      [`${id}.droppingFile`]: 'f.close()',
      [`${id}.closingClient`]: 'conn.close()',
      [`${id}.droppingClient`]: 'conn.close()',
    },
    cli: {
      summary,
      options: [
        host,
        { name: 'port', kind: 'port', help: 'port to listen on (0: any free port)', default: 12345, allowZero: true },
        { name: 'root', kind: 'folder', help: 'folder of the files it sends', default: FILES_FOLDER },
      ],
      input: (v) => ({ host: v.host, port: v.port }),
    },
  };
}

function clientEntry(machine: AnyStateMachine, script: string, summary: string): LessonMachine {
  const id = machine.id;
  return {
    machine,
    role: 'client',
    script,
    lines: {
      [`${id}.connecting`]: 'sock.connect(',
      [`${id}.sendingCommand`]: 'sock.sendall(f"RETR',
      [`${id}.readingStatus`]: 'piece = sock.recv(CHUNK)',
      [`${id}.openingFile`]: 'f = open(args.save_as, "wb")',
      [`${id}.writingFile`]: 'f.write(data)',
      [`${id}.receiving`]: 'data = sock.recv(',
      [`${id}.closingFile`]: 'f.close()  # saved',
      [`${id}.discardingFile`]: 'f.close(); os.remove(args.save_as)',
      [`${id}.closing`]: 'sock.close()',
    },
    cli: {
      summary,
      options: [
        host,
        { name: 'port', kind: 'port', help: 'port of the server', default: 12345 },
        { name: 'name', kind: 'text', help: 'the file to ask for', default: REMOTE_FILE },
        { name: 'save-as', kind: 'text', help: 'the name to save it under', default: LOCAL_FILE },
        { name: 'folder', kind: 'folder', help: 'the folder to save it in (default: the current folder)' },
      ],
      input: (v) => ({ host: v.host, port: v.port, name: v.name, saveAs: v['save-as'] }),
    },
  };
}

const server = (machine: AnyStateMachine, files: Scenario['files']) => ({
  actor: machine.id,
  machine,
  input: ({ host, port }: { host: string; port: number }) => ({ host, port, maxClients: 1 }),
  files: files ?? {},
});
const client = (machine: AnyStateMachine, files: Scenario['files'] = {}) => ({
  actor: machine.id,
  machine,
  input: ({ host, port }: { host: string; port: number }) => ({ host, port }),
  files,
});

export default defineLesson({
  id: '05-end-of-the-file',
  machines: [
    serverEntry(server2aMachine, 'server2a.py', "RETR a file, sent line by line; nothing marks its end (lesson 5, the course's)"),
    clientEntry(client2aMachine, 'client2a.py', "RETR a file into afile.txt; 2 s without data is its end (lesson 5, the course's)"),
    serverEntry(server2bMachine, 'server2b.py', 'RETR a file, then close: end of data is the end of the file (lesson 5)'),
    clientEntry(client2bMachine, 'client2b.py', 'RETR a file into afile.txt until end of data (lesson 5)'),
    serverEntry(server2cMachine, 'server2c.py', 'RETR a file, its size first: "+OK 521" (lesson 5)'),
    clientEntry(client2cMachine, 'client2c.py', 'RETR a file into afile.txt, exactly as many bytes as announced (lesson 5)'),
  ],
  scenarios: [
    {
      id: 'timeout',
      title: "2 s of silence (the course's)",
      knobs: KNOBS,
      servers: [server(server2aMachine, { [REMOTE_FILE]: SOMEFILE })],
      clients: [client(client2aMachine)],
    },
    {
      id: 'close',
      title: 'the server closes',
      knobs: KNOBS,
      servers: [server(server2bMachine, { [REMOTE_FILE]: SOMEFILE })],
      clients: [client(client2bMachine)],
    },
    {
      id: 'size',
      title: 'the size first',
      knobs: KNOBS,
      servers: [server(server2cMachine, { [REMOTE_FILE]: SOMEFILE })],
      clients: [client(client2cMachine)],
    },
    {
      id: 'missing',
      title: 'no such file',
      servers: [server(server2aMachine, {})],
      // An afile.txt from an earlier run: an error line must leave it as it was.
      clients: [client(client2aMachine, { [LOCAL_FILE]: 'the afile.txt of an earlier run\n' })],
    },
  ],
});
