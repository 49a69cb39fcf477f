/**
 * Open a page in the learner's browser: `xdg-open` on Linux, `open` on
 * macOS, `start` on Windows, when there is one. Never where the learner
 * asked not to (`--no-open`, or `SOCKSTEP_NO_OPEN=1`, as the tests do),
 * nor where there is no opener (a server without a desktop): the address
 * is printed either way.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A program on PATH, or null. */
function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** The command that opens a URL here, or null when there is none. */
export function browserOpener(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string[] | null {
  if (platform === 'darwin') return onPath('open', env) === null ? null : ['open'];
  if (platform === 'win32') return ['cmd', '/c', 'start', '""'];
  const xdg = onPath('xdg-open', env);
  return xdg === null ? null : [xdg];
}

export type OpenResult = 'opened' | 'not asked' | 'no opener';

/** Open `url` unless told not to; what happened, for the line the command prints. */
export function openInBrowser(url: string, wanted: boolean, env: NodeJS.ProcessEnv = process.env): OpenResult {
  if (!wanted || env.SOCKSTEP_NO_OPEN === '1') return 'not asked';
  const opener = browserOpener(env);
  if (opener === null) return 'no opener';
  try {
    const child = spawn(opener[0]!, [...opener.slice(1), url], { detached: true, stdio: 'ignore' });
    // A failure to start the opener (it vanished since we looked) is not worth stopping the run for.
    child.on('error', () => undefined);
    child.unref();
    return 'opened';
  } catch {
    return 'no opener';
  }
}

/** The line to print after opening (or not). */
export function openedLine(result: OpenResult): string | null {
  if (result === 'opened') return 'Opened it in your browser.';
  if (result === 'no opener') return 'Open that address in your browser (no browser opener was found here).';
  return null;
}
