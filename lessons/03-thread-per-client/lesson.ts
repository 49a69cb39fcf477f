/**
 * Lesson 3: a thread per client. server2 starts a conversation of its own
 * (session2) for every client it accepts and goes straight back to
 * accept(); beside it, lesson 2's server1a serves the same three clients
 * one at a time. Browser-safe.
 */
import { client2Machine } from '../../machines/threads/client2.ts';
import { server2Machine } from '../../machines/threads/server2.ts';
import { session2Machine } from '../../machines/threads/session2.ts';
import { server1aMachine } from '../../machines/commands/server1a.ts';
import {
  clientInput,
  clientLines,
  clientOptions,
  SAMPLE_FILES,
  server1aEntry,
  serverInput,
  serverOptions,
  session1aEntry,
  sessionLines,
} from '../02-list-and-quit/lesson.ts';
import { defineLesson, type Program, type Scenario } from '../lesson-types.ts';

/** Where lesson 2's scripts are, seen from this lesson's folder: the iterative run is lesson 2's server. */
const LESSON_2 = '../02-list-and-quit/';

/** Each client waits this long before each command, as a person reading the screen would. */
export const PAUSE_MS = 1000;

/** Three clients, the second and third a moment after the first. */
const clients: Program[] = [0, 1, 2].map((i) => ({
  actor: `client${i + 1}`,
  machine: client2Machine,
  startAfterMs: i,
  input: ({ host, port }) => ({ host, port, pauseMs: PAUSE_MS }),
}));

/** Linux on loopback, but packets take 1 to 9 ms, drawn from the seed: the seed decides who overtakes whom. */
const network: Scenario['network'] = { jitterMs: 8 };

export default defineLesson({
  id: '03-thread-per-client',
  machines: [
    {
      machine: server2Machine,
      role: 'server',
      script: 'server2.py',
      lines: {
        'server2.binding': 'listening.listen(args.backlog)',
        'server2.accepting': 'listening.accept()',
        // closingListener: server2.py closes its listening socket only on Ctrl-C, which a run never shows.
      },
      cli: {
        summary: 'answer LIST and QUIT with a thread per client, many clients at once (lesson 3)',
        options: serverOptions(),
        input: serverInput,
      },
    },
    { machine: session2Machine, role: 'session', script: 'server2.py', lines: sessionLines('session2') },
    {
      machine: client2Machine,
      role: 'client',
      script: 'client2.py',
      lines: clientLines('client2'),
      cli: {
        summary: 'lesson 2\'s client, to run several at once: LIST, then QUIT, with --pause before each (lesson 3)',
        options: clientOptions(),
        input: clientInput,
      },
    },
    { ...server1aEntry, script: `${LESSON_2}server1a.py` },
    { ...session1aEntry, script: `${LESSON_2}server1a.py` },
  ],
  scenarios: [
    {
      id: 'threads',
      title: 'a thread per client',
      files: SAMPLE_FILES,
      network,
      servers: [{ actor: 'server2', machine: server2Machine, input: ({ host, port }) => ({ host, port, maxClients: 3 }) }],
      clients,
    },
    {
      id: 'one-at-a-time',
      title: 'one at a time (lesson 2\'s server)',
      files: SAMPLE_FILES,
      network,
      servers: [{ actor: 'server1a', machine: server1aMachine, input: ({ host, port }) => ({ host, port, maxClients: 3 }) }],
      clients,
    },
  ],
});
