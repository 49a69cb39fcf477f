/**
 * `sockstep start` (and `npm start`): build the lesson app if it has not
 * been built, then serve it on 127.0.0.1 only, unless --host says otherwise.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApp, listen } from '../server/app.ts';
import { CliFailure } from './cli-errors.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST_DIR = fileURLToPath(new URL('../../dist/ui/', import.meta.url));

async function buildIfNeeded(out: (line: string) => void): Promise<void> {
  if (existsSync(`${DIST_DIR}index.html`)) return;
  out('Building the lesson app (first start only)…');
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
  const shown = options.host.includes(':') ? `[${options.host}]` : options.host;
  options.out(`Sockstep is running at http://${shown}:${port}/ (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
