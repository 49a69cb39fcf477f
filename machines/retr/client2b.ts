/**
 * Lesson 5's client2b (the server closes the connection after the file: end of data is the end of the file).
 * The machine is retr-client.ts's, under this name so that it highlights
 * the lines of client2b.py.
 */
import { createRetrClient } from './retr-client.ts';

export const client2bMachine = createRetrClient('client2b', 'close');
