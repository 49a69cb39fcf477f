/**
 * Lesson 2's client: LIST, then QUIT (client1a.py). See command-client.ts.
 */
import { createCommandClient } from './command-client.ts';

export const client1aMachine = createCommandClient('client1a');
