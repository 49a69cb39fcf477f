#!/usr/bin/env node
// The `sockstep` command. Our code is TypeScript; tsx compiles it as it loads,
// so there is no build step between editing a machine and running it.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
