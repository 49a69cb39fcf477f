// Who may talk to the app: Host (DNS rebinding), Origin and the per-start
// token on everything that starts or stops something; the token in the
// app's own pages; and every bad request answered with a JSON error,
// leaving nothing open.
import { connect, createServer, type Server } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JSON_BODY_LIMIT, RECORDS_BODY_LIMIT } from '../../runtime/server/runs-routes.ts';
import { exposureWarning } from '../../runtime/server/start-app.ts';
import { openHandles, request, startTestApp, talk, until, type TestApp } from './app-helpers.ts';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function app(options: Parameters<typeof startTestApp>[0] = {}): Promise<TestApp> {
  const a = await startTestApp({ unwatchedStopMs: null, ...options });
  cleanups.push(() => a.close());
  return a;
}

/** A free port: bound, then released. */
async function freePort(): Promise<number> {
  const s: Server = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

const START = (port: number) => ({ machine: 'server1', options: { port } });

describe('the Host check (DNS rebinding)', () => {
  it('answers only requests naming its own address', async () => {
    const a = await app();
    for (const host of [`127.0.0.1:${a.port}`, `localhost:${a.port}`, `[::1]:${a.port}`, `LOCALHOST:${a.port}`]) {
      expect((await request(a.port, 'GET', '/healthz', { Host: host })).status, host).toBe(200);
    }
    for (const host of [`evil.example:${a.port}`, `127.0.0.1:${a.port + 1}`, '127.0.0.1', `localhost.evil.example:${a.port}`]) {
      for (const p of ['/', '/healthz', '/api/runs']) {
        const res = await request(a.port, 'GET', p, { Host: host });
        expect(res.status, `${host} ${p}`).toBe(403);
        expect(res.json.error.code).toBe('bad_host');
        expect(res.json.error.message).toMatch(/answers only at its own address/);
      }
    }
    // No Host at all (HTTP/1.0): refused too.
    const raw = await new Promise<string>((resolve) => {
      const s = connect(a.port, '127.0.0.1', () => s.end('GET /healthz HTTP/1.0\r\n\r\n'));
      let text = '';
      s.setEncoding('utf8').on('data', (d: string) => (text += d)).on('close', () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 403 /);
    expect(raw).toContain('"code":"bad_host"');
    // A POST with the right token is still refused when the Host is wrong.
    const res = await request(a.port, 'POST', '/api/runs', { Host: `evil.example:${a.port}`, 'X-Sockstep-Token': a.token, 'Content-Type': 'application/json' }, JSON.stringify(START(0)));
    expect(res.status).toBe(403);
    expect((await a.call('GET', '/api/runs')).json.runs).toEqual([]);
  });

  it('answers to the host it was told to listen on, too', async () => {
    const a = await app({ host: '127.0.0.2' });
    expect(a.url).toBe(`http://127.0.0.2:${a.port}/`);
    const res = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ default: http }) => {
        http.get({ host: '127.0.0.2', port: a.port, path: '/healthz' }, (r) => resolve(r.statusCode ?? 0)).on('error', reject);
      });
    });
    expect(res).toBe(200);
    expect(exposureWarning('127.0.0.2', a.port)).toBeNull();
    expect(exposureWarning('0.0.0.0', 4173)).toMatch(/^WARNING: the app listens on 0\.0\.0\.0:4173, so other computers/);
    expect(exposureWarning('192.168.1.5', 4173)).toMatch(/without it the app listens on 127\.0\.0\.1 only/);
  });
});

describe('Origin and token on everything that starts or stops something', () => {
  it('refuses another origin, even with the right token', async () => {
    const a = await app();
    for (const origin of [`http://127.0.0.1:${a.port + 1}`, 'http://evil.example', 'null', `https://127.0.0.1:${a.port}`]) {
      const res = await a.call('POST', '/api/runs', { body: START(0), headers: { Origin: origin } });
      expect(res.status, origin).toBe(403);
      expect(res.json.error.code).toBe('bad_origin');
    }
    const crossSite = await a.call('POST', '/api/runs', { body: START(0), headers: { 'Sec-Fetch-Site': 'cross-site' } });
    expect(crossSite.json.error.code).toBe('bad_origin');
    const sameSite = await a.call('POST', '/api/runs', { body: START(0), headers: { 'Sec-Fetch-Site': 'same-site' } });
    expect(sameSite.json.error.code).toBe('bad_origin');
    expect((await a.call('GET', '/api/runs')).json.runs).toEqual([]);
  });

  it('refuses a missing or wrong token, on POST and DELETE alike', async () => {
    const a = await app();
    const port = await freePort();
    const missing = await a.call('POST', '/api/runs', { body: START(port), token: null, headers: { Origin: `http://127.0.0.1:${a.port}` } });
    expect(missing.status).toBe(403);
    expect(missing.json.error).toMatchObject({ code: 'bad_token', message: expect.stringMatching(/lacks the app's token/) });
    const wrong = await a.call('POST', '/api/runs', { body: START(port), token: 'a'.repeat(64) });
    expect(wrong.json.error).toMatchObject({ code: 'bad_token', message: expect.stringMatching(/reload the page/) });
    expect(await talk(port)).toEqual({ ok: false, code: 'ECONNREFUSED' });

    // The app's own page (its Origin, its token) and a program (no Origin, the token) may.
    const fromPage = await a.call('POST', '/api/runs', { body: START(port), headers: { Origin: `http://127.0.0.1:${a.port}`, 'Sec-Fetch-Site': 'same-origin' } });
    expect(fromPage.status).toBe(201);
    expect((await talk(port)).ok).toBe(true);
    expect((await a.call('DELETE', `/api/runs/${fromPage.json.id}`, { token: null })).json.error.code).toBe('bad_token');
    expect((await a.call('DELETE', `/api/runs/${fromPage.json.id}`, { headers: { Origin: 'http://evil.example' } })).json.error.code).toBe('bad_origin');
    expect((await a.call('GET', `/api/runs/${fromPage.json.id}`)).json.run.status).toBe('running');
    expect((await a.call('DELETE', `/api/runs/${fromPage.json.id}`)).status).toBe(200);
    expect(await talk(port)).toEqual({ ok: false, code: 'ECONNREFUSED' });
  });

  it("writes the token into the app's own pages, and no other way", async () => {
    const a = await app();
    mkdirSync(path.join(a.distDir, 'lessons', '01-greeting'), { recursive: true });
    writeFileSync(path.join(a.distDir, 'lessons', '01-greeting', 'index.html'), '<html><HEAD lang="en"><title>x</title></HEAD></html>');
    writeFileSync(path.join(a.distDir, 'app.js'), 'console.log(1)');
    const meta = `<meta name="sockstep-token" content="${a.token}">`;
    expect(a.token).toMatch(/^[0-9a-f]{64}$/);
    for (const p of ['/', '/index.html', '/lessons/01-greeting/', '/lessons/01-greeting/index.html']) {
      const res = await a.call('GET', p, { token: null });
      expect(res.status, p).toBe(200);
      expect(res.text, p).toContain(meta);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
    expect((await a.call('GET', '/', { token: null })).text).toMatch(/^<!doctype html><html><head><meta name="sockstep-token"/);
    // A folder without its slash is redirected (by express.static), then served with the token.
    expect((await a.call('GET', '/lessons/01-greeting', { token: null })).status).toBe(301);
    const js = await a.call('GET', '/app.js', { token: null });
    expect(js.text).toBe('console.log(1)');
    expect(js.headers['cache-control']).toMatch(/immutable/);
    expect((await a.call('GET', '/../../etc/passwd', { token: null })).status).toBe(404);
    // A second start of the app has another token.
    const b = await app();
    expect(b.token).not.toBe(a.token);
  });
});

describe('bad requests: a JSON error the page can show, and nothing left open', () => {
  it('answers each kind of mistake with its code and a plain sentence', async () => {
    const a = await app();
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => busy.close(r)));
    const busyPort = (busy.address() as { port: number }).port;
    const before = openHandles();

    const cases: [string, () => Promise<{ status: number; json: any }>, number, string, RegExp][] = [
      ['unknown machine', () => a.call('POST', '/api/runs', { body: { machine: 'server9' } }), 400, 'unknown_machine', /there is no machine "server9" to start; the machines are server1, client1/],
      ['port out of range', () => a.call('POST', '/api/runs', { body: START(70000) }), 400, 'bad_option', /^port must be a whole number from 0 to 65535 \(got "70000"\)$/],
      ['port not a number', () => a.call('POST', '/api/runs', { body: { machine: 'client1', options: { port: 'http' } } }), 400, 'bad_option', /^port must be a whole number from 1 to 65535 \(got "http"\)$/],
      ['client port 0', () => a.call('POST', '/api/runs', { body: { machine: 'client1', options: { port: 0 } } }), 400, 'bad_option', /from 1 to 65535/],
      ['a port in use', () => a.call('POST', '/api/runs', { body: START(busyPort) }), 409, 'port_in_use', new RegExp(`^port ${busyPort} is in use by another program`)],
      ['not loopback (server)', () => a.call('POST', '/api/runs', { body: { machine: 'server1', options: { host: '0.0.0.0', port: 0 } } }), 400, 'not_loopback', /host 0\.0\.0\.0 is not this computer: .*--allow-remote/],
      ['not loopback (client)', () => a.call('POST', '/api/runs', { body: { machine: 'client1', options: { host: '192.0.2.1', port: 80 } } }), 400, 'not_loopback', /192\.0\.2\.1 is not this computer/],
      ['blank host', () => a.call('POST', '/api/runs', { body: { machine: 'client1', options: { host: ' ' } } }), 400, 'bad_option', /host must not be empty/],
      ['unknown option', () => a.call('POST', '/api/runs', { body: { machine: 'server1', options: { prot: 1 } } }), 400, 'unknown_option', /server1 takes no option "prot"; its options are host, port/],
      ['options not an object', () => a.call('POST', '/api/runs', { body: { machine: 'server1', options: [1] } }), 400, 'bad_option', /options must be an object/],
      ['unknown field', () => a.call('POST', '/api/runs', { body: { machine: 'server1', colour: 'red' } }), 400, 'unknown_field', /unknown field "colour"; the fields are kind, machine, options, title/],
      ['no machine', () => a.call('POST', '/api/runs', { body: {} }), 400, 'bad_request', /name the machine to start/],
      ['bad kind', () => a.call('POST', '/api/runs', { body: { machine: 'server1', kind: 'robot' } }), 400, 'bad_request', /kind must be page, external or tap/],
      ['malformed JSON', () => a.call('POST', '/api/runs', { raw: '{"machine": "server1",' }), 400, 'bad_json', /^the request body is not valid JSON/],
      ['not an object', () => a.call('POST', '/api/runs', { raw: '"server1"' }), 400, 'bad_json', /not valid JSON/],
      ['an array', () => a.call('POST', '/api/runs', { raw: '[]' }), 400, 'bad_request', /must be a JSON object/],
      ['over the limit', () => a.call('POST', '/api/runs', { body: { machine: 'server1', title: 'x'.repeat(JSON_BODY_LIMIT) } }), 413, 'too_large', new RegExp(`over the limit of ${JSON_BODY_LIMIT} bytes`)],
      ['records over the limit', () => a.call('POST', '/api/runs/r1/records', { raw: 'x'.repeat(RECORDS_BODY_LIMIT + 1), type: 'application/x-ndjson' }), 413, 'too_large', /over the limit/],
      ['not JSON at all', () => a.call('POST', '/api/runs', { raw: 'machine=server1', type: 'application/x-www-form-urlencoded' }), 415, 'bad_content_type', /Content-Type: application\/json/],
      ['text/plain', () => a.call('POST', '/api/runs', { raw: JSON.stringify(START(0)), type: 'text/plain' }), 415, 'bad_content_type', /as JSON/],
      ['title too long', () => a.call('POST', '/api/runs', { body: { machine: 'server1', title: 'x'.repeat(201) } }), 400, 'bad_request', /title must be text of 1 to 200 characters/],
      ['unknown run', () => a.call('DELETE', '/api/runs/r0000'), 404, 'not_found', /there is no run "r0000"/],
      ['unknown route', () => a.call('GET', '/api/nothing'), 404, 'not_found', /nothing at GET \/api\/nothing/],
    ];
    for (const [what, send, status, code, message] of cases) {
      const res = await send();
      expect(res.status, what).toBe(status);
      expect(res.json.error.code, what).toBe(code);
      expect(res.json.error.message, what).toMatch(message);
    }
    // Nothing was started, nothing is left open.
    expect((await a.call('GET', '/api/runs')).json.runs).toEqual([]);
    await until(() => openHandles().servers <= before.servers, 2000, 'no server left open');
    // The field the problem is about, for the page to point at.
    expect((await a.call('POST', '/api/runs', { body: START(70000) })).json.error.field).toBe('options.port');
  });

  it('refuses more runs than it runs at once', async () => {
    const a = await app({ limits: { maxRunning: 2 } });
    for (let i = 0; i < 2; i++) expect((await a.call('POST', '/api/runs', { body: START(0) })).status).toBe(201);
    const third = await a.call('POST', '/api/runs', { body: START(0) });
    expect(third.status).toBe(429);
    expect(third.json.error).toMatchObject({ code: 'too_many_runs', message: expect.stringMatching(/stop one before starting another/) });
  });
});
