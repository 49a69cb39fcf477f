/**
 * Lesson 5's server2b (the server closes the connection after the file: end of data is the end of the file).
 * The machine is retr-server.ts's, under this name so that it highlights
 * the lines of server2b.py.
 */
import { createRetrServer } from './retr-server.ts';

export const server2bMachine = createRetrServer('server2b', 'close');
