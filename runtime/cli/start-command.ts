/**
 * `sockstep start` (and `npm start`): build the lesson app if it has not
 * been built or its sources changed since, then serve it on 127.0.0.1 only,
 * unless --host says otherwise (then it says so, loudly). Other sockstep
 * commands (`run --inspect`, `view`, `tap --inspect`) find it and show
 * their runs in it. Runs started from its page use loopback only, unless
 * --allow-remote.
 */
import { startApp } from '../server/start-app.ts';
import { CliFailure } from './cli-errors.ts';
import { preparePage } from './page-build.ts';
import { interrupted } from './signals.ts';

export { buildReason, DIST_DIR } from './page-build.ts';

export interface StartCommandOptions {
  host: string;
  port: number;
  allowRemote: boolean;
  out: (line: string) => void;
  err: (line: string) => void;
}

export async function startCommand(options: StartCommandOptions): Promise<number> {
  const distDir = await preparePage(options.out);
  let app;
  try {
    app = await startApp({ distDir, host: options.host, port: options.port, allowRemote: options.allowRemote });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') {
      throw new CliFailure(`port ${options.port} is in use; choose another with --port (0 picks a free one)`);
    }
    throw new CliFailure(`cannot listen on ${options.host} port ${options.port}: ${(error as Error).message}`);
  }
  options.out(`Sockstep is running at ${app.url} (Ctrl-C to stop)`);
  if (app.warning !== null) options.err(app.warning);
  if (options.allowRemote) options.err('Runs started from the page may connect to and listen on any address (--allow-remote).');
  const stop = interrupted();
  await stop.promise;
  stop.dispose();
  // Every run stopped, every socket closed, the port free, the app file gone.
  await app.close();
  return 0;
}
