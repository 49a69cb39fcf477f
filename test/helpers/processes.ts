// Child processes for cross-language and CLI tests: start, read lines, stop.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const LESSON_01 = `${ROOT}lessons/01-greeting/`;
export const CLI = `${ROOT}runtime/cli/bin.js`;

export interface Started {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first stdout match of `pattern`, or rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A program that runs until stopped (a Python server, the CLI), its output read as it comes. */
export function start(command: string, args: string[], cwd = ROOT, extraEnv: Record<string, string> = {}): Started {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...extraEnv, PYTHONUNBUFFERED: '1' } });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const deadline = setTimeout(() => {
          clearInterval(poll);
          reject(new Error(`timed out waiting for ${pattern}; stdout: ${out}; stderr: ${err}`));
        }, timeoutMs);
        const poll = setInterval(() => {
          const m = out.match(pattern);
          if (m) {
            clearInterval(poll);
            clearTimeout(deadline);
            resolve(m);
          } else if (child.exitCode !== null) {
            clearInterval(poll);
            clearTimeout(deadline);
            reject(new Error(`${command} exited (${child.exitCode}) before ${pattern}; stdout: ${out}; stderr: ${err}`));
          }
        }, 20);
      });
    },
    async stop(signal = 'SIGINT') {
      // By its own pid: the process itself, never a wrapper's.
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, signal);
      return exited;
    },
  };
}

/** Run to completion and collect the output. */
export async function run(command: string, args: string[], timeoutMs = 20_000) {
  const p = start(command, args);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}
