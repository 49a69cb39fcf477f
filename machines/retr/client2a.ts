/**
 * Lesson 5's client2a (the course's: the server sends the file and waits for the next command; the client takes 2 seconds without data as the end of the file).
 * The machine is retr-client.ts's, under this name so that it highlights
 * the lines of client2a.py.
 */
import { createRetrClient } from './retr-client.ts';

export const client2aMachine = createRetrClient('client2a', 'timeout');
