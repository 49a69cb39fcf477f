/**
 * Lesson 1: the greeting. Which machines run, which Python scripts they
 * stand for, and which line of each script makes each socket call.
 * Browser-safe: the UI and the CLI both read this.
 */
import { client1Machine } from '../../machines/greeting/client1.ts';
import { server1Machine } from '../../machines/greeting/server1.ts';
import type { LessonDefinition } from '../lesson-types.ts';

export const greetingLesson = {
  id: '01-greeting',
  title: 'A first server and a first client',
  machines: [
    { actor: 'server1', machine: server1Machine, script: 'server1.py', role: 'server' },
    { actor: 'client1', machine: client1Machine, script: 'client1.py', role: 'client' },
  ],
  // A socket record of the script's actor → the text of the Python line making that call.
  lines: {
    'server1.py': {
      listen: 'listening.listen(5)',
      accept: 'listening.accept()',
      send: 'conn.sendall(',
      close: 'conn.close()',
      closeListener: 'listening.close()',
    },
    'client1.py': {
      connect: 'sock.connect(',
      recv: 'sock.recv(1024)',
      eof: 'if not chunk',
      close: 'sock.close()',
    },
  },
} satisfies LessonDefinition;
