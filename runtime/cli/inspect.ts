/**
 * `--inspect`: show a command's run live in the page. The command joins
 * the app if one is running for this user (runtime/server/live-client.ts
 * `findApp` + `openLiveRun`: the records go to it over HTTP), or starts
 * one in this process (`startApp`: the records go straight into it), then
 * prints the page's address and opens it in the browser.
 *
 *   $ sockstep run server1 --port 0 --inspect
 *   Sockstep app started at http://127.0.0.1:4173/ (it stops when this command stops)
 *   Watch server1 live: http://127.0.0.1:4173/live/?run=r1a2b3c4
 *
 * Ending the command ends the run; stopping the run in the page stops the
 * command's machine (`onStopped`, which resolves once its sockets are
 * closed). `--trace FILE` still gets every record: the app and the page
 * hold a window of a long run, the file holds all of it.
 */
import type { Json } from '../trace/records.ts';
import type { Trace } from '../trace/trace.ts';
import { findApp, openLiveRun, type AppInfo } from '../server/live-client.ts';
import type { RunKind } from '../server/live-run.ts';
import { DEFAULT_PORT, startApp, type StartedApp } from '../server/start-app.ts';
import { CliFailure } from './cli-errors.ts';
import type { CommandOption } from './command-options.ts';
import type { CliIo } from './main.ts';
import { openedLine, openInBrowser } from './open-browser.ts';
import { preparePage } from './page-build.ts';

/** The options every command that opens the page takes (besides the `inspect` and `no-open` flags). */
export const APP_PORT_OPTION: CommandOption = {
  name: 'app-port',
  kind: 'port',
  allowZero: true,
  help: `port for the lesson app, if this command starts it (default ${DEFAULT_PORT}; 0: any free port)`,
};

/** The help rows of the flags. */
export const INSPECT_HELP: [string, string][] = [
  ['--inspect', 'watch this run live in the lesson app (starts the app if none is running, opens the page)'],
  ['--no-open', 'print the page’s address but do not open a browser (also: SOCKSTEP_NO_OPEN=1)'],
];

/** How often a published run that sends nothing asks the app whether the page stopped it (ms). */
export const STOP_POLL_MS = 1000;

export interface AppChoice {
  /** --app-port, or SOCKSTEP_APP_PORT. */
  port: number | undefined;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The app of this user that is running (joined), or one started in this process. */
export type AppHandle = { kind: 'joined'; app: AppInfo } | { kind: 'own'; app: AppInfo; started: StartedApp };

/** The port asked for: --app-port, else SOCKSTEP_APP_PORT, else undefined (the default). */
export function appPortOf(value: string | number | undefined, env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (value !== undefined) return Number(value);
  const fromEnv = env.SOCKSTEP_APP_PORT;
  if (fromEnv === undefined || fromEnv === '') return undefined;
  if (!/^\d+$/.test(fromEnv) || Number(fromEnv) > 65535) throw new CliFailure(`SOCKSTEP_APP_PORT must be a port number from 0 to 65535 (got "${fromEnv}")`);
  return Number(fromEnv);
}

/** Join the running app, or start one here. */
export async function findOrStartApp(choice: AppChoice): Promise<AppHandle> {
  const running = await findApp();
  if (running !== null) return { kind: 'joined', app: running };
  const distDir = await preparePage(choice.out);
  let started: StartedApp;
  try {
    started = await startApp({ distDir, port: choice.port ?? DEFAULT_PORT });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'EADDRINUSE') throw new CliFailure(`the lesson app cannot start: ${(error as Error).message}`);
    if (choice.port !== undefined) throw new CliFailure(`the lesson app cannot listen on port ${choice.port}: another program uses it; choose another with --app-port (0 picks a free one)`);
    // The usual port is taken by something that is not a Sockstep app: any free port will do.
    started = await startApp({ distDir, port: 0 });
    choice.out(`Port ${DEFAULT_PORT} is in use by another program, so the lesson app takes port ${started.port}.`);
  }
  choice.out(`Sockstep app started at ${started.url} (it stops when this command stops)`);
  if (started.warning !== null) choice.err(started.warning);
  return { kind: 'own', app: { url: started.url, token: started.token }, started };
}

export interface InspectOptions extends AppChoice {
  title: string;
  kind: Exclude<RunKind, 'page'>;
  trace: Trace;
  /** What the learner calls the run: 'server1', 'the tap'. */
  what: string;
  /** Open the browser (false with --no-open). */
  open: boolean;
  /** The page stopped the run: stop the machine; resolve once its sockets are closed. */
  onStopped(message: string): Promise<void>;
}

export interface Inspector {
  /** The run's page. */
  url: string;
  /** The app runs in this process and goes when it ends. */
  inProcess: boolean;
  /** The run is over: tell the app (once). */
  end(end: { reason: 'finished' | 'failed' | 'stopped'; message?: string; outcome?: Json }): Promise<void>;
  /** Close the app, if it is this process's. */
  close(): Promise<void>;
}

/**
 * The run is over and the app told: close the inspector. An app started in
 * this process would go with it, so unless the learner already pressed
 * Ctrl-C, its page stays up (`ended` says what ended: 'The run has ended')
 * until they stop the command. An app this run joined stays up on its own.
 */
export async function closeInspector(
  inspector: Inspector,
  io: Pick<CliIo, 'out' | 'interrupted'>,
  ended: string,
  alreadyInterrupted: boolean,
): Promise<void> {
  if (inspector.inProcess && !alreadyInterrupted) {
    io.out(`${ended}; its page stays at ${inspector.url} until you stop this command (Ctrl-C).`);
    const done = io.interrupted();
    await done.promise;
    done.dispose();
  }
  await inspector.close();
}

export async function openInspector(options: InspectOptions): Promise<Inspector> {
  const handle = await findOrStartApp(options);
  let inspector: Inspector;
  if (handle.kind === 'joined') {
    const live = await openLiveRun(handle.app, {
      title: options.title,
      kind: options.kind,
      leaseRenewMs: STOP_POLL_MS,
      onStopped: (message) => void options.onStopped(message),
      onFailed: (message) => options.err(`sockstep: the lesson app no longer takes this run's records (${message}); the run goes on here`),
    }).catch((error: unknown) => {
      throw new CliFailure(`the lesson app at ${handle.app.url} refused the run: ${(error as Error).message}`);
    });
    live.attach(options.trace);
    inspector = {
      url: `${handle.app.url}live/?run=${live.id}`,
      inProcess: false,
      end: (end) => live.end(end),
      close: async () => undefined,
    };
  } else {
    const { started } = handle;
    let ending = false;
    const run = started.app.runs.create({ kind: options.kind, title: options.title }, async (end) => {
      if (!ending) await options.onStopped(end.message ?? 'stopped from the page');
      run.finish(end);
    });
    const detach = run.attachTrace(options.trace);
    inspector = {
      url: `${started.url}live/?run=${run.id}`,
      inProcess: true,
      end: async (end) => {
        ending = true;
        detach();
        run.finish(end);
      },
      close: () => started.close(),
    };
  }
  options.out(`Watch ${options.what} live: ${inspector.url}`);
  const line = openedLine(openInBrowser(inspector.url, options.open));
  if (line !== null) options.out(line);
  return inspector;
}
