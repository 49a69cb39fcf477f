#!/usr/bin/env node
// The `sockstep` command. Our code is TypeScript; tsx compiles it as it loads,
// so there is no build step between editing a machine and running it.
import { register } from 'tsx/esm/api';

register();
// Output piped into a program that stops reading (`sockstep run server1 | head`):
// stop as if the user pressed Ctrl-C, closing every socket, instead of crashing.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.emit('SIGINT');
  else throw error;
});
let main;
try {
  ({ main } = await import('./main.ts'));
} catch (error) {
  // A file that does not load (a syntax error in a lesson, say): one line, not a stack trace.
  console.error(`sockstep: cannot load the program (please report it): ${String(error?.message ?? error).split('\n')[0]}`);
  process.exit(1);
}
process.exitCode = await main(process.argv.slice(2));
