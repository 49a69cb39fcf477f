/**
 * Lesson 5's client2c (the server sends the size first (+OK 171); the client reads exactly that many bytes).
 * The machine is retr-client.ts's, under this name so that it highlights
 * the lines of client2c.py.
 */
import { createRetrClient } from './retr-client.ts';

export const client2cMachine = createRetrClient('client2c', 'size');
