/**
 * Start the app in this process: `sockstep start`, or `sockstep run ...
 * --inspect` when no app is running yet.
 *
 *   const app = await startApp({ distDir });
 *   console.log(`Sockstep is running at ${app.url}`);
 *   if (app.warning) console.error(app.warning);
 *   ...
 *   await app.close();   // every run stopped, every socket closed, the port free, the app file gone
 *
 * It listens on 127.0.0.1 unless given a host. Given one that is not
 * loopback, `warning` holds the line to print, loudly: anyone who can
 * reach that address can open the page (the token and checks still stand
 * between them and the API, but the page and its runs are visible).
 */
import type { Server } from 'node:http';
import { endpointText } from '../transport/endpoint.ts';
import { createApp, listen, type AppOptions, type SockstepApp } from './app.ts';
import { isLoopbackHost } from './loopback.ts';
import { removeAppFile, runtimeDir, writeAppFile } from './runtime-file.ts';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 4173;

export interface StartAppOptions extends Omit<AppOptions, 'host'> {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4173; 0 picks a free port. */
  port?: number;
  /** Where to write the app file; default runtimeDir(). null: write none. */
  runtimeDir?: string | null;
}

export interface StartedApp {
  /** The page's address, ending in '/'. */
  url: string;
  token: string;
  port: number;
  /** The line to print when the app is reachable from other computers; null on loopback. */
  warning: string | null;
  app: SockstepApp;
  server: Server;
  /** Stop every run, close the server and remove the app file. */
  close(): Promise<void>;
}

/** The warning for an app that listens on `host`, or null when only this computer can reach it. */
export function exposureWarning(host: string, port: number): string | null {
  if (isLoopbackHost(host)) return null;
  return (
    `WARNING: the app listens on ${endpointText({ host, port })}, so other computers that can reach this address ` +
    'can open its pages and see its runs. Use --host only on a network you trust; without it the app listens on 127.0.0.1 only.'
  );
}

/** The address to open: the host itself, or 127.0.0.1 for "every interface". */
function urlHost(host: string): string {
  return host === '0.0.0.0' || host === '::' || host === '' ? DEFAULT_HOST : host;
}

/** Listen (rejects with the listen error: EADDRINUSE, ...), then write the app file. */
export async function startApp(options: StartAppOptions): Promise<StartedApp> {
  const host = options.host ?? DEFAULT_HOST;
  const { port: wanted = DEFAULT_PORT, runtimeDir: dir, host: _host, ...appOptions } = options;
  const app = createApp({ ...appOptions, ...(host === DEFAULT_HOST ? {} : { host }) });
  let server: Server;
  try {
    server = await listen(app, host, wanted);
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : wanted;
  const url = `http://${endpointText({ host: urlHost(host), port })}/`;
  let file: string | null = null;
  if (dir !== null) {
    try {
      file = writeAppFile({ url, token: app.token, pid: process.pid }, dir ?? runtimeDir());
    } catch (error) {
      await app.close();
      throw error;
    }
  }
  let closing: Promise<void> | null = null;
  return {
    url,
    token: app.token,
    port,
    warning: exposureWarning(host, port),
    app,
    server,
    close: () =>
      (closing ??= (async () => {
        if (file !== null) removeAppFile(file);
        await app.close();
      })()),
  };
}
