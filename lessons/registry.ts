/**
 * Every lesson: one line each, in course order. A lesson is its folder
 * (lesson.md, lesson.ts, Python scripts); adding one means adding the
 * folder and a line here. The page, the CLI and the tests find it from here.
 */
export { default as greeting } from './01-greeting/lesson.ts';
export { default as listAndQuit } from './02-list-and-quit/lesson.ts';
export { default as threadPerClient } from './03-thread-per-client/lesson.ts';
export { default as theStream } from './04-the-stream/lesson.ts';
export { default as endOfTheFile } from './05-end-of-the-file/lesson.ts';
export { default as ftpServer } from './09-ftp-server/lesson.ts';
