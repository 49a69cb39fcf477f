// sockstep ftp-server's options: one line for each mistake, exit 2 (or 1 when it cannot listen).
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../runtime/cli/main.ts';
import { makeRoot } from './live-server.ts';

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), cwd: process.cwd(), interrupted: () => ({ promise: new Promise(() => {}), dispose() {} }) };
  const code = await main(args, io);
  return { code, out, err };
}

describe('sockstep ftp-server options', () => {
  const root = makeRoot();
  const file = join(root, 'hello.txt');
  writeFileSync(join(root, 'x'), '');

  it.each([
    [['ftp-server', '--user', 'a:b'], /needs --root DIR/],
    [['ftp-server', '--root', '/no/such/folder', '--user', 'a:b'], /--root \/no\/such\/folder: there is no such folder/],
    [['ftp-server', '--root', file, '--user', 'a:b'], /is a file, not a folder/],
    [['ftp-server', '--root', root, '--user', 'alice'], /--user needs NAME:PASSWORD with both parts.*no ":"/],
    [['ftp-server', '--root', root, '--user', 'alice:'], /no password/],
    [['ftp-server', '--root', root], /nobody could log in/],
    [['ftp-server', '--root', root, '--anonymous', '--passive-ports', '60000-50000'], /--passive-ports must be FIRST-LAST/],
    [['ftp-server', '--root', root, '--anonymous', '--passive-ports', '80-90'], /--passive-ports must be FIRST-LAST/],
    [['ftp-server', '--root', root, '--anonymous', '--port', '70000'], /--port must be a whole number/],
    [['ftp-server', '--root', root, '--anonymous', '--trace-data', 'some'], /--trace-data must be 'summary' or 'full'/],
    [['ftp-server', '--root', root, '--anonymous', '--prot', '1'], /unknown option --prot; did you mean --port\?/],
  ])('%j → one line, exit 2', async (args, message) => {
    const { code, err } = await cli(args);
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
    // A password typed on the command line is never echoed back.
    expect(err[0]).not.toContain('a:b');
  });

  it('a port in use: one line saying so, exit 1', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as { port: number }).port;
    const { code, err } = await cli(['ftp-server', '--root', root, '--anonymous', '--port', String(port)]);
    holder.close();
    expect(code).toBe(1);
    expect(err).toEqual([expect.stringMatching(/cannot listen on 127\.0\.0\.1 port \d+: Another program is already listening on that port/)]);
  });

  it('--help lists every option', async () => {
    const { code, out } = await cli(['ftp-server', '--help']);
    expect(code).toBe(0);
    for (const o of ['--root', '--port', '--host', '--user', '--anonymous', '--write', '--passive-ports', '--max-clients', '--inspect', '--trace']) expect(out.join('\n')).toContain(o);
  });
});
