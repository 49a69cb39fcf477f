/**
 * Lesson 1: the greeting. server1 serves one client at a time; client1
 * reads the greeting until end of data. Browser-safe.
 */
import { client1Machine } from '../../machines/greeting/client1.ts';
import { server1Machine } from '../../machines/greeting/server1.ts';
import { defineLesson } from '../lesson-types.ts';

const host = { name: 'host', kind: 'host', help: 'address to listen on or connect to', default: '127.0.0.1' } as const;

export default defineLesson({
  id: '01-greeting',
  machines: [
    {
      machine: server1Machine,
      role: 'server',
      script: 'server1.py',
      lines: {
        'server1.binding': 'listening.listen(5)',
        'server1.accepting': 'listening.accept()',
        'server1.sending': 'conn.sendall(',
        'server1.closingClient': 'conn.close()',
        'server1.droppingClient': 'conn.close()',
        // closingListener: server1.py closes its listening socket only on Ctrl-C, which the run never shows.
      },
      cli: {
        summary: 'greet every client with "You are connected", one at a time (lesson 1)',
        options: [host, { name: 'port', kind: 'port', help: 'port to listen on (0: any free port)', default: 12345, allowZero: true }],
        input: (v) => ({ host: v.host, port: v.port }),
      },
    },
    {
      machine: client1Machine,
      role: 'client',
      script: 'client1.py',
      lines: {
        'client1.connecting': 'sock.connect(',
        'client1.receiving': 'sock.recv(1024)',
        'client1.closing': 'sock.close()',
      },
      cli: {
        summary: 'connect, read the greeting until end of data, print it (lesson 1)',
        options: [host, { name: 'port', kind: 'port', help: 'port of the server', default: 12345 }],
        input: (v) => ({ host: v.host, port: v.port }),
      },
    },
  ],
  scenarios: [
    {
      id: 'greeting',
      title: 'one client',
      servers: [{ actor: 'server1', machine: server1Machine, input: ({ host, port }) => ({ host, port, maxClients: 1 }) }],
      clients: [{ actor: 'client1', machine: client1Machine, input: ({ host, port }) => ({ host, port }) }],
    },
  ],
});
