// Other people's FTP clients against `sockstep ftp-server`, each on IPv4 and IPv6 loopback: curl
// (PASV, EPSV, PORT with -P -, EPRT, -T upload, -C - resume both ways, ;type=a, listings), lftp
// (passive and active, mirror of a tree both ways, mget/mput, rm, mkdir, mv), tnftp (scripted) and
// basic-ftp from npm.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable, Readable } from 'node:stream';
import { Client } from 'basic-ftp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { needTool } from '../helpers/require-tool.ts';
import { run, start } from '../helpers/processes.ts';
import { PASSWORD, startFtpServer, USER, type LiveServer } from './live-server.ts';

const curl = needTool('/usr/bin/curl', 'curl');
const lftp = needTool('/usr/bin/lftp', 'lftp');
const tnftp = needTool('/usr/bin/tnftp', 'tnftp');
const USERPASS = `${USER}:${PASSWORD}`;
const sha = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');
const BLOB = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31 + (i >> 8)) & 0xff));

for (const host of ['127.0.0.1', '::1']) {
  const url = (path = '') => `ftp://${host.includes(':') ? `[${host}]` : host}:${server.port}/${path}`;
  let server: LiveServer;
  let local: string;
  const setup = () => {
    beforeAll(async () => {
      server = await startFtpServer(host, ['--data-timeout', '5']);
      writeFileSync(join(server.root, 'blob.bin'), BLOB);
      local = mkdtempSync(join(tmpdir(), 'sockstep-ftp-client-'));
    });
    afterAll(async () => {
      await server?.stop();
      rmSync(local, { recursive: true, force: true });
    });
  };
  const curlRun = (...args: string[]) => run('/usr/bin/curl', ['-sS', '--max-time', '10', '-u', USERPASS, ...args]);

  curl.describe(`curl against ftp-server on ${host}`, () => {
    setup();
    it('lists with EPSV, with PASV (IPv4), and names only (NLST)', async () => {
      const epsv = await curlRun(url());
      expect(epsv.stderr).toBe('');
      expect(epsv.stdout).toMatch(/^-rw-r--r-- .* blob\.bin\r?$/m);
      if (!host.includes(':')) expect((await curlRun('--disable-epsv', url())).stdout).toContain(' hello.txt');
      // curl reads listings in TYPE A and turns their CR LF into LF.
      expect((await curlRun('--list-only', url('sub/'))).stdout).toBe('inner.txt\n');
    });
    it('downloads in passive and active mode (EPRT, and PORT on IPv4) with every byte right', async () => {
      for (const mode of [[], ['-P', '-'], ...(host.includes(':') ? [] : [['-P', '-', '--disable-eprt'], ['--disable-epsv']])]) {
        const out = join(local, 'blob.out');
        const r = await curlRun(...mode, '-o', out, url('blob.bin'));
        expect(r.stderr, mode.join(' ')).toBe('');
        expect(sha(readFileSync(out))).toBe(sha(BLOB));
      }
    });
    it('uploads with -T, resumes a download and an upload with -C -, converts ;type=a', async () => {
      writeFileSync(join(local, 'up.bin'), BLOB);
      expect((await curlRun('-T', join(local, 'up.bin'), url('up.bin'))).stderr).toBe('');
      expect(sha(readFileSync(join(server.root, 'up.bin')))).toBe(sha(BLOB));
      // A download that stopped half-way, resumed (REST).
      writeFileSync(join(local, 'half.bin'), BLOB.subarray(0, 123_456));
      expect((await curlRun('-C', '-', '-o', join(local, 'half.bin'), url('blob.bin'))).stderr).toBe('');
      expect(sha(readFileSync(join(local, 'half.bin')))).toBe(sha(BLOB));
      // An upload that stopped half-way, resumed (SIZE, then APPE).
      writeFileSync(join(server.root, 'part.bin'), BLOB.subarray(0, 100_000));
      expect((await curlRun('-C', '-', '-T', join(local, 'up.bin'), url('part.bin'))).stderr).toBe('');
      expect(sha(readFileSync(join(server.root, 'part.bin')))).toBe(sha(BLOB));
      // ;type=a: curl sends TYPE A, we send CR LF line ends, curl turns them back into LF.
      const ascii = await curlRun('-v', url('hello.txt;type=a'));
      expect(ascii.stderr).toMatch(/> TYPE A\r?\n/);
      expect(ascii.stderr).toMatch(/< 150 Opening ASCII mode/);
      expect(ascii.stdout).toBe('hello\nworld\n');
    });
  });

  lftp.describe(`lftp against ftp-server on ${host}`, () => {
    setup();
    const lftpRun = (passive: boolean, commands: string) =>
      run('/usr/bin/lftp', ['-c', `set ftp:ssl-allow no; set net:max-retries 1; set net:timeout 5; set ftp:passive-mode ${passive ? 'on' : 'off'}; set xfer:clobber on; open -u ${USER},"${PASSWORD}" -p ${server.port} ${host.includes(':') ? `[${host}]` : host}; ${commands}`], 30_000);
    for (const passive of [true, false]) {
      it(`${passive ? 'passive' : 'active'}: mirror a tree both ways, mget/mput, rm, mkdir, mv`, async () => {
        const tag = passive ? 'p' : 'a';
        const tree = join(local, `tree-${tag}`);
        mkdirSync(join(tree, 'deep', 'er'), { recursive: true });
        writeFileSync(join(tree, 'one.txt'), 'one\n');
        writeFileSync(join(tree, 'deep', 'er', 'two.bin'), BLOB);
        const up = await lftpRun(passive, `mirror -R ${tree} up-${tag}; mkdir made-${tag}; mv up-${tag}/one.txt made-${tag}/moved.txt; cd made-${tag}; mput -O . ${join(local, `tree-${tag}`, 'one.txt')}; rm moved.txt; cd ..; mirror up-${tag} ${join(local, `back-${tag}`)}; mget -O ${local} blob.bin hello.txt`);
        expect(up.stderr).toBe('');
        expect(sha(readFileSync(join(server.root, `up-${tag}`, 'deep', 'er', 'two.bin')))).toBe(sha(BLOB));
        expect(readdirSync(join(server.root, `made-${tag}`))).toEqual(['one.txt']);
        expect(sha(readFileSync(join(local, `back-${tag}`, 'deep', 'er', 'two.bin')))).toBe(sha(BLOB));
        expect(existsSync(join(local, `back-${tag}`, 'one.txt'))).toBe(false);
        expect(sha(readFileSync(join(local, 'blob.bin')))).toBe(sha(BLOB));
        expect(readFileSync(join(local, 'hello.txt'), 'utf8')).toBe('hello\nworld\n');
      });
    }
  });

  tnftp.describe(`tnftp against ftp-server on ${host}`, () => {
    setup();
    it('logs in, lists, gets and puts, passive and active, from a script on stdin', async () => {
      writeFileSync(join(local, 'put.bin'), BLOB);
      const p = start('/usr/bin/tnftp', ['-n', '-v', host, String(server.port)], local);
      p.child.stdin.end(
        [`user ${USER} "${PASSWORD}"`, 'binary', 'passive on', 'ls', 'get blob.bin got-passive.bin', 'passive off', 'get blob.bin got-active.bin', 'put put.bin put.bin', 'quit', ''].join('\n'),
      );
      const timer = setTimeout(() => p.child.kill('SIGKILL'), 20_000);
      await p.exited;
      clearTimeout(timer);
      expect(p.stdout()).toMatch(/230 User alice logged in/);
      expect(p.stdout()).toMatch(/226 Transfer complete/);
      expect(sha(readFileSync(join(local, 'got-passive.bin')))).toBe(sha(BLOB));
      expect(sha(readFileSync(join(local, 'got-active.bin')))).toBe(sha(BLOB));
      expect(sha(readFileSync(join(server.root, 'put.bin')))).toBe(sha(BLOB));
    });
  });

  needTool('/usr/bin/env', 'coreutils').describe(`basic-ftp (npm) against ftp-server on ${host}`, () => {
    setup();
    it('lists, downloads, uploads, makes folders, renames and removes', async () => {
      const client = new Client(10_000);
      try {
        await client.access({ host, port: server.port, user: USER, password: PASSWORD });
        const names = (await client.list()).map((e) => e.name);
        expect(names).toEqual(expect.arrayContaining(['blob.bin', 'hello.txt', 'sub', 'ten.bin']));
        const chunks: Buffer[] = [];
        await client.downloadTo(new Writable({ write: (c, _e, cb) => (chunks.push(c), cb()) }), 'blob.bin');
        expect(sha(Buffer.concat(chunks))).toBe(sha(BLOB));
        await client.ensureDir('/made/deeper');
        await client.uploadFrom(Readable.from([BLOB]), 'up.bin');
        await client.rename('up.bin', 'renamed.bin');
        expect(await client.size('renamed.bin')).toBe(BLOB.length);
        await client.remove('renamed.bin');
        await client.cd('/');
        await client.removeDir('made');
        expect(existsSync(join(server.root, 'made'))).toBe(false);
      } finally {
        client.close();
      }
    });
  });
}
