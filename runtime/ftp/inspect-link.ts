/**
 * `sockstep ftp-server --inspect`: publish the server's trace to the
 * running lesson app (runtime/server/live-client.ts), so the page shows the
 * sessions and their data connections as they happen. Passwords are
 * masked before any record exists (machines/ftp/server/password-mask.ts),
 * so nothing of them reaches the app either.
 *
 * Node only (the live client uses fetch and the app file).
 */
import { findApp, openLiveRun } from '../server/live-client.ts';
import type { Trace } from '../trace/trace.ts';
import { CliFailure } from '../cli/cli-errors.ts';

export interface InspectLink {
  /** Where the page shows it. */
  url: string;
  end(reason: 'stopped' | 'failed'): Promise<void>;
}

export async function inspectRun(trace: Trace, title: string, io: { out: (line: string) => void }): Promise<InspectLink> {
  const app = await findApp();
  if (app === null) throw new CliFailure('--inspect needs the lesson app running: start it first with sockstep start (then run this again)');
  let client;
  try {
    client = await openLiveRun(app, { title, onFailed: (message) => io.out(`ftp-server: the lesson app stopped listening: ${message}`) });
  } catch (error) {
    throw new CliFailure(`--inspect: the lesson app refused the run: ${(error as Error).message}`);
  }
  client.attach(trace);
  const url = `${app.url}live/?run=${client.id}`;
  io.out(`watch it in the lesson app: ${url}`);
  return {
    url,
    end: async (reason) => {
      await client.end({ reason });
    },
  };
}
