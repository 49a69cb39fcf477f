/**
 * A lesson machine started from the page (`POST /api/runs
 * { machine, options }`): checked, run on real TCP with a RunSystem of its
 * own and a trace of its own, and stopped (every socket it opened closed)
 * by `DELETE /api/runs/:id`, by finishing, or by the app closing.
 *
 * A server is only reported started once it listens: a port in use is a
 * bad request (409 `port_in_use`), answered after its run has been taken
 * down again, so nothing is left open. A client's connection refused is
 * not: that is what the run shows.
 *
 * Unless the app allows remote addresses, the run's transport refuses
 * anything but loopback (loopback.ts), whatever the machine tries.
 */
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnableMachines } from '../../lessons/index.ts';
import { liveOptionsOf, rolesOf, type CliValues, type LessonDefinition, type LessonMachine } from '../../lessons/lesson-types.ts';
import { hintFor } from '../../machines/socket-calls.ts';
import type { Folder } from '../files/types.ts';
import { RunSystem } from '../run/run-system.ts';
import type { TraceRecord } from '../trace/records.ts';
import { toJson } from '../trace/to-json.ts';
import { Trace } from '../trace/trace.ts';
import { createTcpTransport } from '../transport/tcp.ts';
import type { Transport } from '../transport/types.ts';
import { ApiError } from './api-errors.ts';
import type { LiveRun } from './live-run.ts';
import { loopbackOnly } from './loopback.ts';
import { checkMachineOptions, type ValueCheck } from './machine-options.ts';
import type { RunRegistry } from './run-registry.ts';

const LESSONS_DIR = fileURLToPath(new URL('../../lessons/', import.meta.url));

/** How long a server may take to listen before it is reported started anyway (ms). */
export const LISTEN_WAIT_MS = 10_000;
/** Longest run title. */
export const MAX_TITLE = 200;

export interface PageRunOptions {
  allowRemote: boolean;
  /** The real transport; tests may lower its limits. */
  transport?: () => Transport;
}

export interface StartRequest {
  machine: string;
  options?: unknown;
  title?: string;
}

/** The machines the page can start, with their options (`GET /api/machines`). */
export function machineList() {
  return runnableMachines().map(({ lesson, entry }) => ({
    id: entry.machine.id,
    lesson: lesson.id,
    role: entry.role,
    summary: entry.cli!.summary,
    options: entry.cli!.options.map((o) => ({ ...o })),
  }));
}

/** A folder for a `folder` option: typed in the page (absolute) or the lesson's default (in its folder). */
function folderCheck(lesson: LessonDefinition) {
  return (path: string, isDefault: boolean): ValueCheck => {
    if (!isDefault && !isAbsolute(path)) {
      return { ok: false, error: `the folder must be a full path, such as /home/me/files (got ${JSON.stringify(path)})` };
    }
    const full = isDefault ? resolve(LESSONS_DIR, lesson.id, path) : path;
    try {
      if (!statSync(full).isDirectory()) return { ok: false, error: `${JSON.stringify(path)} is a file, not a folder` };
    } catch (error) {
      const code = (error as { code?: string }).code;
      const why = code === 'ENOENT' || code === 'ENOTDIR' ? 'there is no such folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
      return { ok: false, error: `${JSON.stringify(path)} is not a folder that can be served: ${why}` };
    }
    return { ok: true, value: full };
  };
}

/** The machine and its checked options, or an ApiError saying what is wrong. */
function checkRequest(body: StartRequest, allowRemote: boolean): { lesson: LessonDefinition; entry: LessonMachine; values: CliValues } {
  const found = runnableMachines().find((m) => m.entry.machine.id === body.machine);
  if (found === undefined) {
    const names = runnableMachines().map((m) => m.entry.machine.id);
    throw new ApiError(400, 'unknown_machine', `there is no machine "${body.machine}" to start; the machines are ${names.join(', ')}`, 'machine');
  }
  const { lesson, entry } = found;
  const checked = checkMachineOptions(entry.cli!.options, body.options, {
    machine: entry.machine.id,
    allowRemote,
    folder: folderCheck(lesson),
  });
  if (!checked.ok) throw new ApiError(400, checked.code, checked.message, checked.option === null ? 'options' : `options.${checked.option}`);
  return { lesson, entry, values: checked.values };
}

type Listening = { ok: true } | { ok: false; code: string; message: string };

/** Resolves once the server listens, or with why it cannot (its listen failed, or it ended first). */
function firstListen(trace: Trace, ended: Promise<unknown>): Promise<Listening> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => settle({ ok: true }), LISTEN_WAIT_MS);
    const settle = (result: Listening) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(result);
    };
    const unsubscribe = trace.subscribe((r: TraceRecord) => {
      if (r.type === 'listen') settle({ ok: true });
      else if (r.type === 'error' && r.op === 'listen') settle({ ok: false, code: r.code, message: r.message });
    });
    void ended.then(() => settle({ ok: false, code: 'ENDED', message: 'it ended before it was listening' }));
  });
}

/** A failed listen as the page's error: a port in use is its own code. */
function listenError(entry: LessonMachine, values: CliValues, failure: { code: string; message: string }): ApiError {
  const where = values.port === undefined ? '' : ` on ${values.host ?? '127.0.0.1'} port ${values.port}`;
  if (failure.code === 'EADDRINUSE') {
    return new ApiError(
      409,
      'port_in_use',
      `port ${values.port} is in use by another program (or another run); choose another port, or 0 for any free one`,
      'options.port',
    );
  }
  const hint = hintFor(failure.code);
  const said = hint === null ? failure.message : `${hint} (${failure.code}: ${failure.message})`;
  return new ApiError(409, 'listen_failed', `${entry.machine.id} cannot listen${where}: ${said}`);
}

/** Start a lesson machine; resolves with its run once it is under way (a server: listening). */
export async function startPageRun(registry: RunRegistry, body: StartRequest, options: PageRunOptions): Promise<LiveRun> {
  const { lesson, entry, values } = checkRequest(body, options.allowRemote);
  const folderOption = entry.cli!.options.find((o) => o.kind === 'folder');
  let files: Folder | undefined;
  if (folderOption !== undefined && values[folderOption.name] !== undefined) {
    try {
      // Loaded only for a machine that serves a folder: the rest of the app needs no file system code.
      const { RealFolder } = await import('../files/real-folder.ts');
      files = await RealFolder.open(String(values[folderOption.name]));
    } catch (error) {
      throw new ApiError(400, 'bad_option', `${folderOption.name}: ${(error as Error).message}`, `options.${folderOption.name}`);
    }
  }

  const real = (options.transport ?? createTcpTransport)();
  const transport = options.allowRemote ? real : loopbackOnly(real);
  const trace = new Trace({ transport: 'tcp', clock: () => transport.now(), lesson: lesson.id, retain: 1 });
  const system = new RunSystem({ transport, trace, roles: rolesOf(lesson), ...(files === undefined ? {} : { files }) });
  let stopping = false;
  const takeDown = async () => {
    stopping = true;
    await system.stop();
    detach();
  };
  const run = registry.create(
    { kind: 'page', title: body.title ?? `${entry.machine.id} (${lesson.id})`, machine: entry.machine.id, lesson: lesson.id, options: values },
    async (end) => {
      await takeDown();
      run.finish(end);
    },
  );
  const detach = run.attachTrace(trace);
  let markEnded!: () => void;
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  // Listening first, then start: the first record must not be missed.
  const listening = entry.role === 'server' ? firstListen(trace, ended) : null;
  const running = system.start(entry.machine, { id: entry.machine.id, input: entry.cli!.input(values), ...liveOptionsOf(values) });
  void running.done.then(async (output) => {
    markEnded();
    if (stopping) return;
    await takeDown();
    const outcome = toJson(output);
    run.finish({ reason: 'finished', ...(outcome === undefined ? {} : { outcome }) });
  });

  if (listening !== null) {
    const result = await listening;
    if (!result.ok) {
      await takeDown();
      registry.remove(run.id);
      throw listenError(entry, values, result);
    }
  }
  return run;
}
