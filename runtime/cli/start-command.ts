/**
 * `sockstep start` (and `npm start`): build the lesson app if it has not
 * been built or its sources changed since, then serve it on 127.0.0.1 only,
 * unless --host says otherwise.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, listen } from '../server/app.ts';
import { endpointText } from '../transport/endpoint.ts';
import { CliFailure } from './cli-errors.ts';
import { interrupted } from './signals.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST_DIR = fileURLToPath(new URL('../../dist/ui/', import.meta.url));

/** Everything the page is built from. */
const SOURCES = ['ui', 'lessons', 'machines', 'runtime', 'tools', 'vite.config.ts', 'package-lock.json'];

/** The newest modification time under a file or folder, in ms. */
function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** Why the page must be built, or null when the build is up to date. */
export function buildReason(): string | null {
  const page = `${DIST_DIR}index.html`;
  if (!existsSync(page)) return 'Building the lesson app (first start only)…';
  const built = statSync(page).mtimeMs;
  const changed = SOURCES.map((s) => join(ROOT, s)).filter((s) => existsSync(s) && newest(s) > built);
  return changed.length > 0 ? 'Rebuilding the lesson app: its sources changed since the last build…' : null;
}

async function buildIfNeeded(out: (line: string) => void): Promise<void> {
  const reason = buildReason();
  if (reason === null) return;
  out(reason);
  const { build } = await import('vite');
  await build({ configFile: `${ROOT}vite.config.ts`, logLevel: 'warn' });
}

export async function startCommand(options: { host: string; port: number; out: (line: string) => void }): Promise<number> {
  await buildIfNeeded(options.out);
  const app = createApp({ distDir: DIST_DIR });
  let server;
  try {
    server = await listen(app, options.host, options.port);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') {
      throw new CliFailure(`port ${options.port} is in use; choose another with --port (0 picks a free one)`);
    }
    throw new CliFailure(`cannot listen on ${options.host} port ${options.port}: ${(error as Error).message}`);
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  options.out(`Sockstep is running at http://${endpointText({ host: options.host, port })}/ (Ctrl-C to stop)`);
  const stop = interrupted();
  await stop.promise;
  stop.dispose();
  await new Promise((resolve) => {
    server.close(resolve);
    // close() waits for open connections; a browser's idle keep-alive would hold us up.
    server.closeAllConnections();
  });
  return 0;
}
