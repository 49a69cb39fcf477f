/** The options of `sockstep start`, checked by the same kinds as a machine's. */
import type { CommandOption } from './command-options.ts';

export const START_OPTIONS: readonly CommandOption[] = [
  { name: 'host', kind: 'host', default: '127.0.0.1', help: 'address to serve on (0.0.0.0: every interface)' },
  { name: 'port', kind: 'port', default: 4173, allowZero: true, help: 'port to serve on (0: any free port)' },
];
