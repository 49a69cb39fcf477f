// One parser and one check per kind of option value; each mistake is one line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliOption } from '../../lessons/lesson-types.ts';
import { MAX_SECONDS, metavarOf, missingValueMessage, parseOptionValue } from '../../runtime/cli/option-kinds.ts';

const dir = mkdtempSync(join(tmpdir(), 'sockstep-kinds-'));
writeFileSync(join(dir, 'a-file'), 'x');

const port: CliOption = { name: 'port', kind: 'port', help: '' };
const listenPort: CliOption = { ...port, allowZero: true };
const host: CliOption = { name: 'host', kind: 'host', help: '' };
const clients: CliOption = { name: 'clients', kind: 'count', help: '' };
const idle: CliOption = { name: 'idle', kind: 'seconds', help: '' };
const root: CliOption = { name: 'root', kind: 'folder', help: '' };
const greeting: CliOption = { name: 'greeting', kind: 'text', help: '' };

describe('parseOptionValue', () => {
  const good: [CliOption, string, string | number][] = [
    [port, '1', 1],
    [port, '65535', 65535],
    [port, '012345', 12345],
    [listenPort, '0', 0],
    [host, '::1', '::1'],
    [host, 'localhost', 'localhost'],
    [clients, '3', 3],
    [idle, '2', 2],
    [idle, '0.5', 0.5],
    [idle, '.25', 0.25],
    [idle, String(MAX_SECONDS), MAX_SECONDS],
    [root, dir, dir],
    [root, '.', dir],
    [greeting, '', ''],
    [greeting, '--not-an-option', '--not-an-option'],
  ];
  it.each(good)('%o takes %j', (option, text, value) => {
    expect(parseOptionValue(option, text, dir)).toEqual({ ok: true, value });
  });

  const bad: [CliOption, string, string][] = [
    [port, '0', '--port must be a whole number from 1 to 65535 (got "0")'],
    [port, '-1', '--port must be a whole number from 1 to 65535 (got "-1")'],
    [listenPort, '-1', '--port must be a whole number from 0 to 65535 (got "-1")'],
    [listenPort, '65536', '--port must be a whole number from 0 to 65535 (got "65536")'],
    [listenPort, '1e3', '--port must be a whole number from 0 to 65535 (got "1e3")'],
    [listenPort, ' 80', '--port must be a whole number from 0 to 65535 (got " 80")'],
    [listenPort, '', '--port must be a whole number from 0 to 65535 (got "")'],
    [host, '', '--host must not be empty (use 127.0.0.1 for this machine only, 0.0.0.0 for every interface)'],
    [host, '  ', '--host must not be empty (use 127.0.0.1 for this machine only, 0.0.0.0 for every interface)'],
    [clients, '0', '--clients must be a whole number, 1 or more (got "0")'],
    [clients, '2.5', '--clients must be a whole number, 1 or more (got "2.5")'],
    [clients, '99999999999999999999', '--clients must be a whole number, 1 or more (got "99999999999999999999")'],
    [idle, '0', `--idle must be a number of seconds, more than 0 and at most ${MAX_SECONDS} (about 24 days) (got "0")`],
    [idle, '-1', `--idle must be a number of seconds, more than 0 and at most ${MAX_SECONDS} (about 24 days) (got "-1")`],
    [idle, '2s', `--idle must be a number of seconds, more than 0 and at most ${MAX_SECONDS} (about 24 days) (got "2s")`],
    [idle, String(MAX_SECONDS + 1), `--idle must be a number of seconds, more than 0 and at most ${MAX_SECONDS} (about 24 days) (got "${MAX_SECONDS + 1}")`],
    [root, 'nope', '--root must be a folder that exists (got "nope": there is no such folder)'],
    [root, 'a-file', '--root must be a folder that exists (got "a-file": that is a file, not a folder)'],
    [root, 'a-file/x', '--root must be a folder that exists (got "a-file/x": there is no such folder)'],
    [root, '', '--root must be a folder that exists (got "": an empty path)'],
  ];
  it.each(bad)('%o refuses %j in one line', (option, text, error) => {
    expect(parseOptionValue(option, text, dir)).toEqual({ ok: false, error });
  });
});

describe('help and missing values', () => {
  it('names each kind in help', () => {
    expect([port, host, clients, idle, root, greeting].map(metavarOf)).toEqual(['N', 'HOST', 'N', 'SECONDS', 'DIR', 'TEXT']);
  });
  it('shows the default, or an example, for a missing value', () => {
    expect(missingValueMessage({ ...port, default: 12345 })).toBe('--port needs a value, as in --port 12345');
    expect(missingValueMessage(idle)).toBe('--idle needs a value, as in --idle 2');
  });
});
