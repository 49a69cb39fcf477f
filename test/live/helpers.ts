/**
 * What the live page's browser tests share: the page built once into a
 * temporary folder, a `sockstep` process with the environment the tests
 * need (no browser opened, the built page, a runtime folder of their own so
 * that no learner's app is joined), Python scripts found through the
 * registry, and a few waits.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { runnableMachines } from '../../lessons/index.ts';
import { CLI, ROOT } from '../helpers/processes.ts';

export interface Cli {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** The first stdout match of `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
  /** Signal this process (by its own pid) and wait for it to end. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface CliEnv {
  uiDir: string;
  runtimeDir: string;
}

/** `sockstep <args>` with SOCKSTEP_NO_OPEN=1, the test's build and runtime folder. */
export function sockstep(args: string[], env: CliEnv): Cli {
  return started('node', [CLI, ...args], { SOCKSTEP_NO_OPEN: '1', SOCKSTEP_UI_DIR: env.uiDir, SOCKSTEP_RUNTIME_DIR: env.runtimeDir });
}

/** A program that runs until stopped (a Python server), its output read as it comes. */
export function started(command: string, args: string[], extraEnv: Record<string, string> = {}): Cli {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...extraEnv, PYTHONUNBUFFERED: '1' } });
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
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, signal);
      return exited;
    },
  };
}

/** A runnable machine's Python script, found through the registry. */
export function scriptOf(machineId: string): string {
  const found = runnableMachines().find(({ entry }) => entry.machine.id === machineId);
  if (found?.entry.script === undefined) throw new Error(`no runnable machine ${machineId} with a script`);
  return join(ROOT, 'lessons', found.lesson.id, found.entry.script);
}

/** Run a Python script to its end; its output. */
export function python(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('python3', [script, ...args], { env: { ...process.env, PYTHONUNBUFFERED: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => process.kill(child.pid!, 'SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
