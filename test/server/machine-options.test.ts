// The options of a machine started from the page, checked against its
// cli.options; and which hosts count as loopback.
import { describe, expect, it } from 'vitest';
import type { CliOption } from '../../lessons/lesson-types.ts';
import { isLoopbackHost, loopbackOnly } from '../../runtime/server/loopback.ts';
import { checkMachineOptions, MAX_SECONDS, MAX_TEXT_OPTION } from '../../runtime/server/machine-options.ts';
import { createTcpTransport } from '../../runtime/transport/tcp.ts';

const OPTIONS: CliOption[] = [
  { name: 'host', kind: 'host', help: '', default: '127.0.0.1' },
  { name: 'port', kind: 'port', help: '', default: 12345, allowZero: true },
  { name: 'clients', kind: 'count', help: '' },
  { name: 'timeout', kind: 'seconds', help: '', default: 2 },
  { name: 'root', kind: 'folder', help: '', default: 'files' },
  { name: 'greeting', kind: 'text', help: '' },
];

const folders = new Set(['/srv/files', '/lesson/files']);
const context = {
  machine: 'serverX',
  allowRemote: false,
  folder: (path: string, isDefault: boolean) => {
    const full = isDefault ? `/lesson/${path}` : path;
    return folders.has(full) ? { ok: true as const, value: full } : { ok: false as const, error: `"${path}" is not a folder that can be served` };
  },
};
const check = (given: unknown, extra: Partial<typeof context> = {}) => checkMachineOptions(OPTIONS, given, { ...context, ...extra });

describe('checkMachineOptions', () => {
  it('fills in defaults and takes numbers as numbers or text', () => {
    expect(check(undefined)).toEqual({
      ok: true,
      values: { host: '127.0.0.1', port: 12345, clients: undefined, timeout: 2, root: '/lesson/files', greeting: undefined },
    });
    expect(check({ port: '0', clients: 3, timeout: '0.5', root: '/srv/files', greeting: 'hi', host: 'localhost' })).toEqual({
      ok: true,
      values: { host: 'localhost', port: 0, clients: 3, timeout: 0.5, root: '/srv/files', greeting: 'hi' },
    });
  });

  const problems: [string, unknown, string, string | null, RegExp][] = [
    ['port too big', { port: 65536 }, 'bad_option', 'port', /^port must be a whole number from 0 to 65535 \(got "65536"\)$/],
    ['port negative', { port: -1 }, 'bad_option', 'port', /got "-1"/],
    ['port fraction', { port: 1.5 }, 'bad_option', 'port', /got "1.5"/],
    ['port true', { port: true }, 'bad_option', 'port', /got "true"/],
    ['port null', { port: null }, 'bad_option', 'port', /got "null"/],
    ['count 0', { clients: 0 }, 'bad_option', 'clients', /^clients must be a whole number, 1 or more \(got "0"\)$/],
    ['count huge', { clients: '99999999999999999999' }, 'bad_option', 'clients', /1 or more/],
    ['seconds 0', { timeout: 0 }, 'bad_option', 'timeout', /more than 0 and at most/],
    ['seconds too long', { timeout: MAX_SECONDS + 1 }, 'bad_option', 'timeout', /about 24 days/],
    ['seconds text', { timeout: '2s' }, 'bad_option', 'timeout', /got "2s"/],
    ['blank host', { host: '' }, 'bad_option', 'host', /^host must not be empty/],
    ['host with a space', { host: 'a b' }, 'bad_option', 'host', /a host name or an address/],
    ['host not loopback', { host: '10.0.0.7' }, 'not_loopback', 'host', /^host 10\.0\.0\.7 is not this computer: .* --allow-remote/],
    ['every interface', { host: '0.0.0.0' }, 'not_loopback', 'host', /0\.0\.0\.0 is not this computer/],
    ['relative folder', { root: 'x' }, 'bad_option', 'root', /"x" is not a folder that can be served/],
    ['text too long', { greeting: 'x'.repeat(MAX_TEXT_OPTION + 1) }, 'bad_option', 'greeting', /at most 1000 characters/],
    ['text not text', { greeting: { a: 1 } }, 'bad_option', 'greeting', /greeting must be text/],
    ['unknown option', { prot: 1 }, 'unknown_option', 'prot', /^serverX takes no option "prot"; its options are host, port, clients, timeout, root, greeting$/],
    ['not an object', [1, 2], 'bad_option', null, /options must be an object/],
    ['a string', 'port=1', 'bad_option', null, /options must be an object/],
  ];
  for (const [what, given, code, option, message] of problems) {
    it(`refuses ${what}`, () => {
      const result = check(given);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.code).toBe(code);
      expect(result.option).toBe(option);
      expect(result.message).toMatch(message);
    });
  }

  it('allows other hosts when the app allows remote addresses', () => {
    expect(check({ host: '10.0.0.7' }, { allowRemote: true })).toMatchObject({ ok: true, values: { host: '10.0.0.7' } });
  });

  it('says when a default does not hold', () => {
    const result = check({}, { folder: () => ({ ok: false, error: 'root: there is no such folder' }) });
    expect(result).toMatchObject({ ok: false, option: 'root', message: 'root: there is no such folder; that is the default, so give root yourself' });
  });
});

describe('loopback', () => {
  it('knows every way to write this machine, and nothing else', () => {
    for (const host of ['127.0.0.1', '127.255.255.254', '127.1.2.3', 'localhost', 'LOCALHOST', 'localhost.', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', '127.0.0.256', '127.0.0', 'localhost.evil.example', 'evil-localhost', '::2', '::ffff:10.0.0.1', '']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('refuses a listen or a connect elsewhere before any packet leaves', async () => {
    const transport = loopbackOnly(createTcpTransport());
    await expect(transport.listen({ host: '0.0.0.0', port: 0, backlog: 1 })).rejects.toMatchObject({ code: 'EACCES', message: expect.stringMatching(/0\.0\.0\.0 is not this computer/) });
    await expect(transport.connect({ host: '192.0.2.1', port: 80 })).rejects.toMatchObject({ code: 'EACCES' });
    const listener = await transport.listen({ host: '127.0.0.1', port: 0, backlog: 1 });
    const accepted = listener.accept();
    const conn = await transport.connect({ host: 'localhost', port: listener.address.port });
    expect(conn.remote).toEqual({ host: '127.0.0.1', port: listener.address.port });
    await conn.close();
    await (await accepted).close();
    await listener.close();
  });
});
