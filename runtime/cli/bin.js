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
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
