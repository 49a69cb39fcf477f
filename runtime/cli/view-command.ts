/**
 * `sockstep view run.jsonl`: open a saved trace in the lesson app. The file
 * is checked first (trace-check.ts), with one line for each problem: a file
 * the page cannot show at all (not a trace, another version, not JSON)
 * stops here, exit 1; a file it can partly show (cut short, a bad line
 * further in) opens with a warning. Then the command joins the app or
 * starts one, hands it this one file (the app serves it by a random id,
 * never a path), prints the page's address and opens it.
 *
 *   $ sockstep view run.jsonl
 *   run.jsonl: a trace of 37 records (4.1 KB)
 *   Sockstep app started at http://127.0.0.1:4173/ (it stops when this command stops)
 *   Open it: http://127.0.0.1:4173/trace/?file=f3c9…
 */
import { resolve } from 'node:path';
import { request as httpRequest } from 'node:http';
import type { AppInfo } from '../server/live-client.ts';
import { CliFailure, UsageError } from './cli-errors.ts';
import { optionLines, parseCommandArgs, type CommandSpec } from './command-options.ts';
import { APP_PORT_OPTION, appPortOf, findOrStartApp } from './inspect.ts';
import type { CliIo } from './main.ts';
import { openedLine, openInBrowser } from './open-browser.ts';
import { checkTrace, WHOLE_CHECK_BYTES } from './trace-check.ts';

const VIEW_SPEC: CommandSpec = {
  owner: 'sockstep view',
  command: 'sockstep view',
  options: [APP_PORT_OPTION],
  flags: ['no-open'],
  defaultsBase: '.',
  takenElsewhere: () => [],
};

/** How many steps the page holds of a long trace (ui/lib/live-feed.ts WINDOW_STEPS), for the sentence. */
const PAGE_WINDOW_STEPS = '50,000';

export function viewHelp(): string {
  return [
    'sockstep view: open a saved trace in the lesson app',
    '',
    'Usage: sockstep view TRACE.jsonl [options]',
    '',
    'The trace is one recorded with sockstep run … --trace FILE, sockstep tap … --trace FILE,',
    'or downloaded from the page. The app serves that one file to its page; a large one is',
    'read as you step through it.',
    '',
    'Options:',
    ...optionLines(VIEW_SPEC.options, [
      ['--no-open', 'print the page’s address but do not open a browser (also: SOCKSTEP_NO_OPEN=1)'],
      ['--help', 'show this text'],
    ]),
  ].join('\n');
}

function sizeText(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'there is no such file',
  ENOTDIR: 'there is no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'that is a folder, not a trace file',
};

/** Hand a file to a running app (`POST /api/files`), as a program (no browser headers). */
function handOver(app: AppInfo, path: string): Promise<{ id: string }> {
  const body = JSON.stringify({ path });
  const url = new URL('api/files', app.url);
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-Sockstep-Token': app.token } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          try {
            const json = JSON.parse(text) as { id?: string; error?: { message?: string } };
            if (res.statusCode === 201 && typeof json.id === 'string') resolvePromise({ id: json.id });
            else reject(new CliFailure(`the lesson app at ${app.url} refused the file: ${json.error?.message ?? `it answered ${res.statusCode}`}`));
          } catch {
            reject(new CliFailure(`the lesson app at ${app.url} answered ${res.statusCode} without saying why`));
          }
        });
      },
    );
    req.on('error', (error) => reject(new CliFailure(`the lesson app at ${app.url} does not answer (${error.message})`)));
    req.end(body);
  });
}

export async function viewCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, VIEW_SPEC, io.cwd);
  if (args.flags.has('help')) {
    io.out(viewHelp());
    return 0;
  }
  if (args.positionals.length === 0) throw new UsageError('view needs a trace file, as in sockstep view run.jsonl');
  if (args.positionals.length > 1) throw new UsageError(`view opens one trace file at a time (got "${args.positionals[0]}" and "${args.positionals[1]}")`);
  const given = args.positionals[0]!;
  const path = resolve(io.cwd, given);

  let check;
  try {
    check = await checkTrace(path);
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    throw new CliFailure(`cannot read ${given}: ${FILE_PROBLEMS[code] ?? (error as Error).message}`);
  }
  if (check.fatal !== null) throw new CliFailure(`${given} cannot be shown: ${check.fatal}`);
  const count = `${check.records.toLocaleString('en-US')} record${check.records === 1 ? '' : 's'}`;
  io.out(
    check.whole
      ? `${given}: a trace of ${count} (${sizeText(check.size)})`
      : `${given}: ${sizeText(check.size)}; its first ${count} and its last line look right. The page reads it as you go, ${PAGE_WINDOW_STEPS} steps at a time (files over ${sizeText(WHOLE_CHECK_BYTES)} are not checked whole first).`,
  );
  for (const warning of check.warnings) io.err(`sockstep: warning: ${given}: ${warning}`);

  const handle = await findOrStartApp({ port: appPortOf(args.values['app-port']), out: io.out, err: io.err });
  let id: string;
  if (handle.kind === 'own') {
    id = handle.started.app.files.add(path).id;
  } else {
    id = (await handOver(handle.app, path)).id;
  }
  const url = `${handle.app.url}trace/?file=${id}`;
  io.out(`Open it: ${url}`);
  const line = openedLine(openInBrowser(url, !args.flags.has('no-open')));
  if (line !== null) io.out(line);
  if (handle.kind === 'joined') return 0;

  io.out('The app serves the page until you stop this command (Ctrl-C).');
  const stop = io.interrupted();
  await stop.promise;
  stop.dispose();
  await handle.started.close();
  return 0;
}
