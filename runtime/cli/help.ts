/**
 * The texts of `sockstep --help`, `sockstep run --list`, `sockstep run
 * <machine> --help` and `sockstep start --help`, all made from the lessons
 * and their options: a new lesson shows up here by itself.
 */
import { lessons, runnableMachines } from '../../lessons/index.ts';
import type { LessonDefinition, LessonMachine } from '../../lessons/lesson-types.ts';
import { optionLines, type CommandOption } from './command-options.ts';
import { lessonFolder, lessonHeading, shownPath } from './lesson-files.ts';

const HELP_ROW: [string, string] = ['--help', 'show this text'];

export function mainHelp(version: string): string {
  const example = runnableMachines()[0]?.entry.machine.id ?? 'server1';
  return `sockstep ${version}: step through socket programming, on real sockets and in the lesson app

Usage:
  sockstep run <machine> [options]   run one lesson machine on real sockets, a line per step
  sockstep run --list                list the machines you can run, lesson by lesson
  sockstep run <machine> --help      show a machine's options and their defaults
  sockstep run <machine> --inspect   the same, and watch it live in the lesson app (opens the page)
  sockstep view TRACE.jsonl          open a saved trace in the lesson app
  sockstep start [options]           serve the lesson app (sockstep start --help for its options)
  sockstep tap [options]             relay your own client and server and watch both (sockstep tap --help)
  sockstep export TRACE --pcap FILE  write a trace as a capture for Wireshark or tshark
  sockstep ftp-server --root DIR     an FTP server for curl, lftp and ftplib (sockstep ftp-server --help)
  sockstep --version                 print the version

Example: sockstep run ${example} --port 0   (0 picks a free port; Ctrl-C stops a server)
Bad input gets one line and exit code 2; a run that fails gets one line and exit code 1.`;
}

/** Every runnable machine, grouped by lesson, with its one-line summary. */
export function listText(): string {
  const byLesson = new Map<LessonDefinition, LessonMachine[]>();
  for (const { lesson, entry } of runnableMachines()) {
    const list = byLesson.get(lesson) ?? [];
    list.push(entry);
    byLesson.set(lesson, list);
  }
  const width = Math.max(...runnableMachines().map(({ entry }) => entry.machine.id.length));
  const blocks = lessons
    .filter((lesson) => byLesson.has(lesson))
    .map((lesson) => {
      const rows = byLesson.get(lesson)!.map((entry) => `  ${entry.machine.id.padEnd(width)}   ${entry.cli!.summary}`);
      return [lessonHeading(lesson), ...rows].join('\n');
    });
  return [
    'Machines you can run, by lesson:',
    '',
    blocks.join('\n\n'),
    '',
    'Run one with: sockstep run <machine> [options]. Its options: sockstep run <machine> --help',
  ].join('\n');
}

/** `sockstep run <machine> --help`: what it does, its options with defaults, and where its lesson is. */
export function machineHelp(lesson: LessonDefinition, entry: LessonMachine, options: readonly CommandOption[], flags: readonly [string, string][] = []): string {
  const id = entry.machine.id;
  const script = entry.script === undefined ? '' : ` (${entry.script} is this program in Python)`;
  return [
    `sockstep run ${id}: ${entry.cli!.summary}`,
    '',
    `Usage: sockstep run ${id} [options]`,
    '',
    'Options:',
    ...optionLines(options, [...flags, HELP_ROW]),
    '',
    `${lessonHeading(lesson)}. Its folder: ${shownPath(lessonFolder(lesson))}/${script}`,
  ].join('\n');
}

export function startHelp(options: readonly CommandOption[]): string {
  return [
    'sockstep start: build the lesson app if needed and serve it until Ctrl-C',
    '',
    'Usage: sockstep start [options]',
    '',
    'Options:',
    ...optionLines(options, [['--allow-remote', 'let runs started from the page use addresses other than this computer’s'], HELP_ROW]),
  ].join('\n');
}
