/**
 * The Express app: the built lesson pages (each with the app's token in
 * it), `/healthz`, the live-run API (runs-routes.ts) and the trace files
 * `sockstep view` hands over (trace-files.ts), behind the Host, Origin and
 * token checks (security.ts).
 *
 *   const app = createApp({ distDir });
 *   const server = await listen(app, '127.0.0.1', 4173);
 *   ...
 *   await app.close();   // stops every run (every socket they opened) and the server
 *
 * `startApp` (start-app.ts) does both, and tells other sockstep processes
 * where the app is.
 */
import type { Server } from 'node:http';
import express, { type Express } from 'express';
import type { Transport } from '../transport/types.ts';
import { jsonErrors, notFound } from './api-errors.ts';
import { htmlWithToken } from './html-page.ts';
import { DEFAULT_REGISTRY, RunRegistry, type RegistryLimits } from './run-registry.ts';
import { runsRouter } from './runs-routes.ts';
import { allowedHostNames, hostCheck, newToken, originAndToken, securityHeaders } from './security.ts';
import type { StreamOptions } from './sse-stream.ts';
import { filesRouter, TraceFiles } from './trace-files.ts';

export interface AppOptions {
  /** The built lesson app (dist/ui). */
  distDir: string;
  /** The host it was told to listen on, when not 127.0.0.1: requests naming it pass the Host check. */
  host?: string;
  /** Runs started from the page may use addresses other than loopback. */
  allowRemote?: boolean;
  /** The token; default a fresh random one. */
  token?: string;
  limits?: Partial<RegistryLimits>;
  stream?: StreamOptions;
  /** A page run no page has streamed for this long is stopped (ms; null: never). Default 30 s. */
  unwatchedStopMs?: number | null;
  /** An external run whose process sent nothing for this long has ended (ms). Default 60 s. */
  externalIdleMs?: number;
  /** The real transport for page runs; tests may lower its limits. */
  transport?: () => Transport;
}

export interface SockstepApp extends Express {
  /** The token the app's own pages carry (X-Sockstep-Token). */
  readonly token: string;
  readonly runs: RunRegistry;
  /** The trace files `sockstep view` handed over (trace-files.ts). */
  readonly files: TraceFiles;
  /** Stop every run (closing every socket they opened), then every server `listen()` started. */
  close(): Promise<void>;
}

/** What `listen()` tells the app: where it listens, and when its last server closed. */
const listenHooks = new WeakMap<Express, { set(host: string): void; servers: Set<Server>; lastClosed(): void }>();

export function createApp(options: AppOptions): SockstepApp {
  const token = options.token ?? newToken();
  let names = allowedHostNames(options.host);
  const servers = new Set<Server>();
  const runs = new RunRegistry({ ...DEFAULT_REGISTRY, ...options.limits });
  const files = new TraceFiles();
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  app.use(hostCheck(() => names));
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, app: 'sockstep', pid: process.pid });
  });
  app.use(originAndToken(token, () => names));
  app.use(
    runsRouter({
      registry: runs,
      allowRemote: options.allowRemote ?? false,
      ...(options.stream === undefined ? {} : { stream: options.stream }),
      ...(options.unwatchedStopMs === undefined ? {} : { unwatchedStopMs: options.unwatchedStopMs }),
      ...(options.externalIdleMs === undefined ? {} : { externalIdleMs: options.externalIdleMs }),
      ...(options.transport === undefined ? {} : { transport: options.transport }),
    }),
  );
  app.use(filesRouter(files, token));
  app.use('/api', notFound);
  app.use(htmlWithToken(options.distDir, token));
  app.use(
    express.static(options.distDir, {
      index: 'index.html',
      setHeaders(res, path) {
        // Built assets carry a content hash in their names and never change;
        // the page itself must be fetched afresh to pick up a new build.
        res.setHeader('Cache-Control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
      },
    }),
  );
  app.use(jsonErrors);

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await runs.closeAll();
      await Promise.all([...servers].map(closeServer));
    })());
  // A caller that closes the server itself (as `sockstep start` did before
  // app.close() existed) still stops every run: nothing may outlive the app.
  listenHooks.set(app, { set: (host) => (names = allowedHostNames(host)), servers, lastClosed: () => void close() });
  return Object.assign(app, { token, runs, files, close });
}

/** Close a server now: close() alone would wait for a browser's idle keep-alive connections. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Listen and resolve once bound, or reject with the listen error (EADDRINUSE, ...). */
export function listen(app: Express, host: string, port: number): Promise<Server> {
  const known = listenHooks.get(app);
  // An app told to listen elsewhere than 127.0.0.1 answers to that name too.
  if (known !== undefined && host !== '127.0.0.1') known.set(host);
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => {
      known?.servers.add(server);
      server.once('close', () => {
        known?.servers.delete(server);
        if (known?.servers.size === 0) known.lastClosed();
      });
      resolve(server);
    });
    server.once('error', reject);
  });
}
