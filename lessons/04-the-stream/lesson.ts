/**
 * Lesson 4: the stream. server4 sends four messages with send() calls of
 * their own and closes; client4 reads until end of data and joins the
 * pieces; client4once reads once and takes that for the whole, to show why
 * that is wrong. The page's knobs turn the simulated network from what
 * Linux does on loopback to everything TCP allows. Browser-safe.
 */
import { client4Machine } from '../../machines/stream/client4.ts';
import { client4onceMachine } from '../../machines/stream/client4once.ts';
import { server4Machine } from '../../machines/stream/server4.ts';
import type { ScenarioKnob } from '../knobs.ts';
import { defineLesson, type CliOption, type Program, type Scenario } from '../lesson-types.ts';

const host: CliOption = { name: 'host', kind: 'host', help: 'address to listen on or connect to', default: '127.0.0.1' };

/** Every knob of the stream: the buffers, the packets, the timing. */
export const STREAM_KNOBS: readonly ScenarioKnob[] = ['sendBuffer', 'receiveBuffer', 'segment', 'delay', 'jitter', 'readDelay'];

/**
 * The reader runs up to 2 ms late against the writer. On Linux's loopback
 * a reader blocked in recv() and woken by "Hello, " usually finds the next
 * sends there too by the time it runs (client4.py against server4.py here:
 * a first read of 1,024 bytes in 3 runs of 5, 14 bytes in 1, 7 in 1); a
 * simulated reader that runs at once never does. 2 ms gives the same mix.
 */
const network: Scenario['network'] = { readDelayMs: 2 };

const server: Program = { actor: 'server4', machine: server4Machine, input: ({ host, port }) => ({ host, port, maxClients: 1 }) };

export default defineLesson({
  id: '04-the-stream',
  machines: [
    {
      machine: server4Machine,
      role: 'server',
      script: 'server4.py',
      lines: {
        'server4.binding': 'listening.listen(5)',
        'server4.accepting': 'listening.accept()',
        'server4.sending': 'conn.send(message[sent:])',
        'server4.closingClient': 'conn.close()  # the end of the stream',
        'server4.droppingClient': 'conn.close()  # the end of the stream',
      },
      cli: {
        summary: 'send four messages with send() calls of their own, then close (lesson 4)',
        options: [host, { name: 'port', kind: 'port', help: 'port to listen on (0: any free port)', default: 12345, allowZero: true }],
        input: (v) => ({ host: v.host, port: v.port }),
      },
    },
    {
      machine: client4Machine,
      role: 'client',
      script: 'client4.py',
      lines: {
        'client4.connecting': 'sock.connect(',
        'client4.receiving': 'sock.recv(RECV_MAX)',
        'client4.closing': 'sock.close()',
      },
      cli: {
        summary: 'read until end of data, join the pieces, print each line (lesson 4)',
        options: [host, { name: 'port', kind: 'port', help: 'port of the server', default: 12345 }],
        input: (v) => ({ host: v.host, port: v.port }),
      },
    },
    {
      machine: client4onceMachine,
      role: 'client',
      script: 'client4_once.py',
      lines: {
        'client4once.connecting': 'sock.connect(',
        'client4once.receiving': 'sock.recv(1024)  # WRONG',
        'client4once.closing': 'sock.close()',
      },
      cli: {
        summary: "lesson 4's mistake: one recv() taken for the whole message (lesson 4)",
        options: [host, { name: 'port', kind: 'port', help: 'port of the server', default: 12345 }],
        input: (v) => ({ host: v.host, port: v.port }),
      },
    },
  ],
  scenarios: [
    {
      id: 'reassemble',
      title: 'read until end of data',
      knobs: STREAM_KNOBS,
      network,
      servers: [server],
      clients: [{ actor: 'client4', machine: client4Machine, input: ({ host, port }) => ({ host, port }) }],
    },
    {
      id: 'one-recv',
      title: 'a single recv()',
      knobs: STREAM_KNOBS,
      network,
      servers: [server],
      clients: [{ actor: 'client4once', machine: client4onceMachine, input: ({ host, port }) => ({ host, port }) }],
    },
  ],
});
