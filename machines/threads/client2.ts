/**
 * Lesson 3's client (client2.py): lesson 2's client, run three at a time,
 * with a pause before each command so that the server's way of serving
 * them shows. See commands/command-client.ts.
 */
import { createCommandClient } from '../commands/command-client.ts';

export const client2Machine = createCommandClient('client2');
