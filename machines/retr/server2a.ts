/**
 * Lesson 5's server2a (the course's: the server sends the file and waits for the next command; the client takes 2 seconds without data as the end of the file).
 * The machine is retr-server.ts's, under this name so that it highlights
 * the lines of server2a.py.
 */
import { createRetrServer } from './retr-server.ts';

export const server2aMachine = createRetrServer('server2a', 'timeout');
