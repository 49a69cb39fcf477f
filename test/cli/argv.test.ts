// The command line split into positionals and options, mistakes as data.
import { describe, expect, it } from 'vitest';
import { parseArgv, positionalIndexes, type ArgSpec } from '../../runtime/cli/argv.ts';

const specs: ArgSpec[] = [{ name: 'port' }, { name: 'host' }, { name: 'help', flag: true, short: 'h' }];

describe('parseArgv', () => {
  it('reads --name value, --name=value, flags and positionals', () => {
    expect(parseArgv(['a', '--port', '5', '--host=::1', '-h', 'b'], specs)).toEqual({
      ok: true,
      positionals: ['a', 'b'],
      values: { port: '5', host: '::1' },
      flags: new Set(['help']),
    });
  });

  it('takes a value that starts with one dash as the value: --port -1 is a bad port, not an ambiguity', () => {
    expect(parseArgv(['--port', '-1'], specs)).toMatchObject({ ok: true, values: { port: '-1' } });
    expect(parseArgv(['--port=-1'], specs)).toMatchObject({ ok: true, values: { port: '-1' } });
  });

  it('keeps an empty inline value and everything after --', () => {
    expect(parseArgv(['--port=', '--', '--host', 'x'], specs)).toMatchObject({ ok: true, values: { port: '' }, positionals: ['--host', 'x'] });
  });

  it('treats - and -1 alone as positionals', () => {
    expect(parseArgv(['-', '-1'], specs)).toMatchObject({ ok: true, positionals: ['-', '-1'] });
  });

  const problems: [string[], object][] = [
    [['--prot', '5'], { kind: 'unknown', option: '--prot' }],
    [['-x'], { kind: 'unknown', option: '-x' }],
    [['-help'], { kind: 'unknown', option: '-help' }],
    [['--port'], { kind: 'missingValue', option: '--port' }],
    [['--port', '--host', 'x'], { kind: 'missingValue', option: '--port' }],
    [['--port', '1', '--port=2'], { kind: 'repeated', option: '--port', first: '1', second: '2' }],
    [['--help=yes'], { kind: 'flagWithValue', option: '--help', value: 'yes' }],
  ];
  it.each(problems)('%j is a mistake: %j', (argv, problem) => {
    expect(parseArgv(argv, specs)).toEqual({ ok: false, problem });
  });
});

describe('positionalIndexes', () => {
  const takesValue = (name: string) => name === 'port';
  it('skips options and the values of those that take one', () => {
    expect(positionalIndexes(['--port', '5', 'run', '--help', 'server1', '--port=6', 'x'], takesValue)).toEqual([2, 4, 6]);
  });
  it('counts everything after -- as positional', () => {
    expect(positionalIndexes(['run', '--', '--port'], takesValue)).toEqual([0, 2]);
  });
});
