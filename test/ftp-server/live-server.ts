// Start `sockstep ftp-server` as a child process on loopback (IPv4 or IPv6), port 0, in a temporary
// folder; stop it by its own pid.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, start, type Started } from '../helpers/processes.ts';

export interface LiveServer {
  host: string;
  port: number;
  root: string;
  process: Started;
  stop(): Promise<void>;
}

export const USER = 'alice';
export const PASSWORD = 'wonder land';

/** A served folder with a few files, a sub-folder and a link that points out of it. */
export function makeRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'sockstep-ftp-'));
  writeFileSync(join(root, 'hello.txt'), 'hello\nworld\n');
  writeFileSync(join(root, 'ten.bin'), '0123456789');
  mkdirSync(join(root, 'sub'));
  writeFileSync(join(root, 'sub', 'inner.txt'), 'inside\n');
  return root;
}

export async function startFtpServer(host = '127.0.0.1', extra: string[] = [], root = makeRoot(), write = true): Promise<LiveServer> {
  const child = start(process.execPath, [CLI, 'ftp-server', '--root', root, '--host', host, '--port', '0', '--user', `${USER}:${PASSWORD}`, ...(write ? ['--write'] : []), '--quiet', ...extra]);
  const m = await child.waitFor(/listening on \S+ port (\d+)/);
  return {
    host,
    port: Number(m[1]),
    root,
    process: child,
    async stop() {
      await child.stop('SIGTERM');
      rmSync(root, { recursive: true, force: true });
    },
  };
}
