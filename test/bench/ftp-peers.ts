// The FTP servers the FTP bench measures, each started here on 127.0.0.1 with a port of its own and
// stopped by its pid: ours (sockstep ftp-server), vsftpd (config written to a temp folder, run as
// root with anonymous access to the served folder) and pyftpdlib; and a plain Node socket that
// streams a file (the ceiling for RETR: no protocol at all).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = `${ROOT}runtime/cli/bin.js`;

export interface Peer {
  name: string;
  port: number;
  /** The URL prefix of the served folder: 'ftp://user:pass@127.0.0.1:PORT/'. */
  url: string;
  /** Where uploads go (a folder the server may write). */
  uploads: string;
  pid: number;
  stop(): Promise<void>;
}

/** A free port on 127.0.0.1 (for servers that cannot be told to pick one). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await gone;
    clearTimeout(timer);
  };
}

/** Wait until something accepts connections on the port. */
async function listening(port: number, child: ChildProcess, name: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before listening`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = require_net().connect({ port, host: '127.0.0.1' });
      s.on('connect', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not listen on port ${port}`);
}
import * as net from 'node:net';
const require_net = () => net;

export async function startOurs(root: string, extra: string[] = []): Promise<Peer> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'ftp-server', '--root', root, '--port', String(port), '--user', 'bench:bench', '--write', '--quiet', '--max-clients', '5000', ...extra], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout!.resume();
  await listening(port, child, 'sockstep ftp-server');
  return { name: 'sockstep', port, url: `ftp://bench:bench@127.0.0.1:${port}/`, uploads: '', pid: child.pid!, stop: stopper(child) };
}

export async function startPyftpdlib(root: string): Promise<Peer> {
  const port = await freePort();
  // Anonymous with write permission, as `python3 -m pyftpdlib -w` serves it, but with room for the
  // crowds measured here (its command line has no option for max_cons, 512 by default).
  const script = [
    'import logging, sys',
    'from pyftpdlib.authorizers import DummyAuthorizer',
    'from pyftpdlib.handlers import FTPHandler',
    'from pyftpdlib.servers import FTPServer',
    'logging.basicConfig(level=logging.ERROR)',
    'a = DummyAuthorizer(); a.add_anonymous(sys.argv[2], perm="elradfmwMT")',
    'h = FTPHandler; h.authorizer = a',
    'server = FTPServer(("127.0.0.1", int(sys.argv[1])), h)',
    'server.max_cons = 5000; server.max_cons_per_ip = 0',
    'server.serve_forever()',
  ].join('\n');
  const child = spawn('/usr/bin/python3', ['-c', script, String(port), root], { stdio: ['ignore', 'ignore', 'ignore'] });
  await listening(port, child, 'pyftpdlib');
  return { name: 'pyftpdlib', port, url: `ftp://anonymous:x@127.0.0.1:${port}/`, uploads: '', pid: child.pid!, stop: stopper(child) };
}

export async function startVsftpd(root: string, temp: string): Promise<Peer> {
  const port = await freePort();
  const empty = join(temp, 'vsftpd-empty');
  mkdirSync(empty, { recursive: true });
  const conf = join(temp, 'vsftpd.conf');
  // Anonymous access rooted at the served folder (vsftpd chroots there); uploads go to upload/,
  // which the anonymous user (daemon: its home /usr/sbin exists, vsftpd changes into it first) may write. seccomp off: its sandbox refuses some syscalls here.
  writeFileSync(
    conf,
    [
      'listen=YES', 'listen_ipv6=NO', 'listen_address=127.0.0.1', `listen_port=${port}`, 'background=NO',
      'anonymous_enable=YES', 'no_anon_password=YES', `anon_root=${root}`, 'ftp_username=daemon', 'nopriv_user=daemon',
      'local_enable=NO', 'write_enable=YES', 'anon_upload_enable=YES', 'anon_mkdir_write_enable=YES', 'anon_other_write_enable=YES', 'anon_umask=022',
      'pasv_enable=YES', 'pasv_min_port=40000', 'pasv_max_port=49999', 'port_enable=YES', 'connect_from_port_20=NO',
      'max_clients=0', 'max_per_ip=0', 'idle_session_timeout=600', 'data_connection_timeout=600',
      `secure_chroot_dir=${empty}`, 'seccomp_sandbox=NO', 'isolate_network=NO', 'isolate=NO', 'use_sendfile=YES', 'xferlog_enable=NO', 'dirmessage_enable=NO',
      '',
    ].join('\n'),
  );
  const child = spawn('/usr/sbin/vsftpd', [conf], { stdio: ['ignore', 'ignore', 'inherit'] });
  await listening(port, child, 'vsftpd');
  return { name: 'vsftpd', port, url: `ftp://anonymous:x@127.0.0.1:${port}/`, uploads: 'upload/', pid: child.pid!, stop: stopper(child) };
}

/**
 * A plain Node socket that streams the file to whoever connects, behind a minimal HTTP/1.0
 * header so that curl can read it: no FTP, no machine, no trace. The ceiling for RETR.
 */
export async function startPlainNode(file: string): Promise<Peer> {
  const port = await freePort();
  const script = `
    const fs = require('node:fs'); const net = require('node:net');
    const size = fs.statSync(${JSON.stringify(file)}).size;
    net.createServer((s) => {
      s.once('data', () => {
        s.write('HTTP/1.0 200 OK\\r\\nContent-Length: ' + size + '\\r\\n\\r\\n');
        fs.createReadStream(${JSON.stringify(file)}, { highWaterMark: 1 << 20 }).pipe(s);
      });
      s.on('error', () => {});
    }).listen(${port}, '127.0.0.1');`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'inherit'] });
  await listening(port, child, 'plain Node socket');
  return { name: 'plain Node', port, url: `http://127.0.0.1:${port}/`, uploads: '', pid: child.pid!, stop: stopper(child) };
}
