/**
 * Lesson 3's conversation with one client: `handle(conn, addr, root)` in
 * server2.py, run on a thread of its own. The same conversation as lesson
 * 2's (commands/session.ts), under its own name so that it highlights
 * server2.py's lines.
 */
import { createSessionMachine } from '../commands/session.ts';

export const session2Machine = createSessionMachine('session2');
