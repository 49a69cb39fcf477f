// The FTP server and the scripted client on the simulated network, with in-memory files.
import { ftpServerMachine, type FtpServerInput } from '../../machines/ftp/server/listener.ts';
import { ftpClientMachine, type ScriptStep } from '../../machines/ftp/server/scripted-client.ts';
import { policyOf, accountsOf, type ServerPolicy } from '../../machines/ftp/server/config.ts';
import type { FtpReply } from '../../machines/ftp/protocol/reply.ts';
import { RunSystem } from '../../runtime/run/run-system.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createSimNetwork } from '../../runtime/transport/sim/index.ts';
import { FIXED_TIME, MemoryFiles } from './memory-files.ts';

export const PORT = 2121;

export function simServer(options: { files?: Record<string, string | Uint8Array>; policy?: Partial<ServerPolicy>; server?: Partial<FtpServerInput>; seed?: number } = {}) {
  const net = createSimNetwork({ seed: options.seed ?? 1 });
  const trace = new Trace({ transport: 'sim', clock: () => net.now(), startedAt: 0 });
  const files = new MemoryFiles(options.files ?? {});
  const run = new RunSystem({
    transport: net.transport(),
    trace,
    roles: { ftpServer: 'server', ftpSession: 'session', ftpData: 'session', ftpClient: 'client' },
    transfer: { files: files.streams },
  });
  const policy = policyOf({ accounts: accountsOf([{ user: 'alice', password: 's3cret' }]), anonymous: true, write: true, loginDelayStepMs: 100, ...options.policy });
  const server = run.start(files.bind(ftpServerMachine), {
    id: 'server',
    input: { host: '127.0.0.1', port: PORT, policy, now: () => FIXED_TIME + 3600_000, ...options.server },
  });
  let clients = 0;
  /** Run a script to its end; resolves with the client's output. */
  const client = async (script: ScriptStep[], host = '127.0.0.1') => {
    const c = run.start(ftpClientMachine, { id: `client${++clients}`, input: { host, port: PORT, script: () => script } });
    await net.run();
    return (await c.done) as { replies: FtpReply[]; downloads: Uint8Array[]; error: unknown };
  };
  return { net, trace, files, run, server, client };
}

/** Replies as 'code text' strings (multi-line ones joined with '|'). */
export const texts = (replies: FtpReply[]) => replies.map((r) => `${r.code} ${r.lines.join('|')}`);
export const codes = (replies: FtpReply[]) => replies.map((r) => r.code);
export const LOGIN: ScriptStep[] = [{ kind: 'command', line: 'USER alice' }, { kind: 'command', line: 'PASS s3cret' }];
export const utf8 = (s: string) => new TextEncoder().encode(s);
export const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));
