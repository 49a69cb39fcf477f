/**
 * Lesson 2's conversation with one client: `handle(conn, addr, root)` in
 * server1a.py, which server1a calls and waits for. See session.ts.
 */
import { createSessionMachine } from './session.ts';

export const session1aMachine = createSessionMachine('session1a');
