/**
 * Lesson 5's server2c (the server sends the size first (+OK 171); the client reads exactly that many bytes).
 * The machine is retr-server.ts's, under this name so that it highlights
 * the lines of server2c.py.
 */
import { createRetrServer } from './retr-server.ts';

export const server2cMachine = createRetrServer('server2c', 'size');
