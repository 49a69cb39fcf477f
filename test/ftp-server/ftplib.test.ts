// Python's ftplib against `sockstep ftp-server`, on IPv4 and IPv6 loopback: our functional suite
// (ftplib_suite.py), and the limits with a server started with small ones.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { needTool } from '../helpers/require-tool.ts';
import { run } from '../helpers/processes.ts';
import { PASSWORD, startFtpServer, USER, type LiveServer } from './live-server.ts';

const python = needTool('/usr/bin/python3', 'python3');
const SUITE = new URL('./ftplib_suite.py', import.meta.url).pathname;

for (const host of ['127.0.0.1', '::1']) {
  python.describe(`ftplib against ftp-server on ${host}`, () => {
    let server: LiveServer;
    beforeAll(async () => (server = await startFtpServer(host)));
    afterAll(async () => server?.stop());

    it('passes the functional suite', async () => {
      const result = await run('/usr/bin/python3', [SUITE, host, String(server.port), server.root, USER, PASSWORD], 60_000);
      expect(result.stdout + result.stderr).toMatch(/\d+ passed, 0 failed/);
    });
  });

  python.describe(`ftplib against ftp-server on ${host}, with small limits`, () => {
    let server: LiveServer;
    beforeAll(async () => (server = await startFtpServer(host, ['--max-clients', '2', '--idle-timeout', '1.5', '--data-timeout', '0.5', '--max-login-failures', '2', '--login-delay', '50'])));
    afterAll(async () => server?.stop());

    it('refuses a third connection with 421, times out idle control and data connections, closes after failed logins', async () => {
      const result = await run('/usr/bin/python3', [SUITE, host, String(server.port), server.root, USER, PASSWORD, 'limits'], 60_000);
      expect(result.stdout + result.stderr).toMatch(/4 passed, 0 failed/);
    });
  });
}
