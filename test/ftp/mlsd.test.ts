import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatMlsdEntry,
  formatMlsdLine,
  formatMlsdTime,
  formatUnixListLine,
  mlsdFacts,
  parseMlsdLine,
  parseMlsdTime,
  parseMlstLine,
} from '../../machines/ftp/protocol/index.ts';
import { nastyText } from './chunks.ts';

const utc = (...a: [number, number, number, number, number, number, number?]) => new Date(Date.UTC(a[0], a[1] - 1, a[2], a[3], a[4], a[5], a[6] ?? 0));

describe('parseMlsdTime / formatMlsdTime (RFC 3659 §2.3)', () => {
  it.each([
    { rfc: 'RFC 3659 §2.3 time-val = 14DIGIT', text: '19981107085215', date: utc(1998, 11, 7, 8, 52, 15) },
    { rfc: 'RFC 3659 §2.3 [ "." 1*DIGIT ] fractions', text: '20240101120000.5', date: utc(2024, 1, 1, 12, 0, 0, 500) },
    { rfc: 'RFC 3659 §2.3, fractions past milliseconds are cut', text: '20240101120000.123456', date: utc(2024, 1, 1, 12, 0, 0, 123) },
    { rfc: 'RFC 3659 §2.3 "with 60 being used only at a leap second"', text: '20161231235960', date: utc(2017, 1, 1, 0, 0, 0) },
    { rfc: 'RFC 3659 §2.3, February 29 of a leap year', text: '20240229120000', date: utc(2024, 2, 29, 12, 0, 0) },
  ])('$rfc', ({ text, date }) => {
    expect(parseMlsdTime(text)).toEqual(date);
  });

  it.each([
    { rfc: 'RFC 3659 §2.3, year range 1000--9999', text: '09991107085215' },
    { rfc: 'RFC 3659 §2.3, month 01--12', text: '19981307085215' },
    { rfc: 'RFC 3659 §2.3, day 01--31', text: '19981100085215' },
    { rfc: 'RFC 3659 §2.3, hour 00--23', text: '19981107245215' },
    { rfc: 'RFC 3659 §2.3 "the "." MUST NOT appear unless at least one following digit also appears"', text: '19981107085215.' },
    { rfc: 'RFC 3659 §2.3, fourteen digits', text: '199811070852' },
    { rfc: 'RFC 3659 §2.3, a date that does not exist: February 31', text: '20240231000000' },
    { rfc: 'RFC 3659 §2.3, a date that does not exist: February 29 of a common year', text: '20230229120000' },
    { rfc: 'RFC 3659 §2.3, a date that does not exist: April 31', text: '20240431000000' },
  ])('$rfc', ({ text }) => {
    expect(parseMlsdTime(text)).toBeNull();
  });

  it('RFC 3659 §2.3 "MUST NOT add precision": no fraction unless there are milliseconds', () => {
    expect(formatMlsdTime(utc(1998, 11, 7, 8, 52, 15))).toBe('19981107085215');
    expect(formatMlsdTime(utc(1998, 11, 7, 8, 52, 15, 250))).toBe('19981107085215.25');
  });

  it.each([
    { rfc: 'RFC 3659 §2.3, a year before 1000 cannot be a time-val', date: utc(999, 1, 1, 0, 0, 0) },
    { rfc: 'RFC 3659 §2.3, a year after 9999 cannot be a time-val', date: utc(10000, 1, 1, 0, 0, 0) },
    { rfc: 'RFC 3659 §2.3, an invalid Date (a file system can report one)', date: new Date(Number.NaN) },
  ])('$rfc: formatMlsdTime gives null, it does not throw', ({ date }) => {
    expect(formatMlsdTime(date)).toBeNull();
  });
});

describe('parseMlsdLine / parseMlstLine (RFC 3659 §7)', () => {
  it.each([
    {
      rfc: 'RFC 3659 §7.7.1 the example fact line (MLST form, after its leading space)',
      line: 'Type=file;Size=1024990;Perm=r; /tmp/cap60.pl198.tar.gz',
      value: { name: '/tmp/cap60.pl198.tar.gz', facts: { type: 'file', size: '1024990', perm: 'r' }, type: 'file', size: 1024990n, modified: null, perm: 'r' },
    },
    {
      rfc: 'RFC 3659 §7.4 the sample facts, lang, create and an x. fact',
      line: 'size=4161;lang=en-US;modify=19970214165800;create=19961001124534;type=file;x.myfact=foo,bar; file name',
      value: {
        name: 'file name',
        facts: { size: '4161', lang: 'en-US', modify: '19970214165800', create: '19961001124534', type: 'file', 'x.myfact': 'foo,bar' },
        type: 'file',
        size: 4161n,
        modified: utc(1997, 2, 14, 16, 58, 0),
        perm: null,
      },
    },
    {
      rfc: 'RFC 3659 §7.5.1.5 "OS." types hold an "=": split at the first one only',
      line: 'type=OS.unix=slink:/target;perm=; link',
      value: { name: 'link', facts: { type: 'OS.unix=slink:/target', perm: '' }, type: 'os.unix=slink:/target', size: null, modified: null, perm: '' },
    },
    {
      rfc: 'RFC 3659 §7.5.1.5 "OS." types: the symlink target after ":" keeps its case',
      line: 'type=OS.Unix=SLink:/Target/Dir;perm=; link',
      value: { name: 'link', facts: { type: 'OS.Unix=SLink:/Target/Dir', perm: '' }, type: 'os.unix=slink:/Target/Dir', size: null, modified: null, perm: '' },
    },
    {
      rfc: 'RFC 3659 §7.5.3 modify-fact: a bad value is noted, the entry is kept with modified null',
      line: 'type=file;size=3;modify=yesterday; kept.txt',
      value: {
        name: 'kept.txt',
        facts: { type: 'file', size: '3', modify: 'yesterday' },
        type: 'file',
        size: 3n,
        modified: null,
        perm: null,
        problems: [{ code: 'MLSD_BAD_VALUE', reply: null }],
      },
    },
    {
      rfc: 'RFC 3659 §7.5.3 + §2.3, an impossible modify date (February 31) is noted, the entry kept',
      line: 'type=file;modify=20240231000000; feb31',
      value: { name: 'feb31', facts: { type: 'file', modify: '20240231000000' }, type: 'file', size: null, modified: null, perm: null, problems: [{ code: 'MLSD_BAD_VALUE', reply: null }] },
    },
    {
      rfc: 'RFC 3659 §7.5.4 create-fact: a bad value is noted, the entry and its modify are kept',
      line: 'type=file;create=2024;modify=19981107085215; c',
      value: {
        name: 'c',
        facts: { type: 'file', create: '2024', modify: '19981107085215' },
        type: 'file',
        size: null,
        modified: utc(1998, 11, 7, 8, 52, 15),
        perm: null,
        problems: [{ code: 'MLSD_BAD_VALUE', reply: null }],
      },
    },
    {
      rfc: 'RFC 3659 §7.2 "Exactly one space is always required after the set of facts (which may be empty)"',
      line: ' name only',
      value: { name: 'name only', facts: {}, type: null, size: null, modified: null, perm: null },
    },
    {
      rfc: 'RFC 3659 §2.2 "Any trailing spaces [...] form part of the name"',
      line: 'type=dir; dir  ',
      value: { name: 'dir  ', facts: { type: 'dir' }, type: 'dir', size: null, modified: null, perm: null },
    },
    // Real output: pyftpdlib 1.5.7 MLSD of sparse files made with `truncate -s`.
    {
      rfc: 'RFC 3659 §7.5.7, pyftpdlib 1.5.7: size=9007199254740993 is exact (not ...992)',
      line: 'modify=20261129124350;perm=radfwMT;size=9007199254740993;type=file;unique=1bg6; huge.bin',
      value: {
        name: 'huge.bin',
        facts: { modify: '20261129124350', perm: 'radfwMT', size: '9007199254740993', type: 'file', unique: '1bg6' },
        type: 'file',
        size: 9007199254740993n,
        modified: utc(2026, 11, 29, 12, 43, 50),
        perm: 'radfwmt',
      },
    },
    {
      rfc: 'RFC 3659 §7.5.7, pyftpdlib 1.5.7: size=9223372036854775807 (INT64_MAX) is exact (not 9223372036854776000)',
      line: 'modify=20261129124350;perm=radfwMT;size=9223372036854775807;type=file;unique=1bg7; max.bin',
      value: {
        name: 'max.bin',
        facts: { modify: '20261129124350', perm: 'radfwMT', size: '9223372036854775807', type: 'file', unique: '1bg7' },
        type: 'file',
        size: 9223372036854775807n,
        modified: utc(2026, 11, 29, 12, 43, 50),
        perm: 'radfwmt',
      },
    },
    {
      rfc: 'RFC 3659 §7.5.1 "cdir" names the listed directory',
      line: 'type=cdir;modify=19981107085215;perm=el; /tmp',
      value: { name: '/tmp', facts: { type: 'cdir', modify: '19981107085215', perm: 'el' }, type: 'cdir', size: null, modified: utc(1998, 11, 7, 8, 52, 15), perm: 'el' },
    },
  ])('$rfc', ({ line, value }) => {
    const parsed = parseMlsdLine(line);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const { problems, ...entry } = parsed.value;
    const { problems: expectedProblems, ...expected } = value as typeof value & { problems?: unknown };
    expect({ ...entry, facts: { ...entry.facts } }).toEqual(expected);
    // `problems` is there only when a fact was dropped, and says why in plain words.
    expect(problems?.map((p) => ({ code: p.code, reply: p.reply }))).toEqual(expectedProblems);
    for (const p of problems ?? []) expect(p.message).toMatch(/time like 19981107085215/);
  });

  it('RFC 3659 §7.2 "for MLST the fact set is preceded by a space"', () => {
    const parsed = parseMlstLine(' Type=dir;Modify=19981107085215;Perm=el; /tmp');
    expect(parsed.ok && parsed.value.name).toBe('/tmp');
    const bad = parseMlstLine('Type=dir; /tmp');
    expect(!bad.ok && bad.error.code).toBe('MLSD_NO_SPACE');
  });

  it('RFC 3659 §7.2, pyftpdlib 1.5.7 "MLST huge.bin": the entry line of its 250 reply, size exact', () => {
    // 250-Listing "/huge.bin":\r\n modify=...; /huge.bin\r\n250 End MLST.
    const parsed = parseMlstLine(' modify=20261129124350;perm=radfwMT;size=9007199254740993;type=file;unique=1bg6; /huge.bin');
    expect(parsed.ok && [parsed.value.name, parsed.value.size]).toEqual(['/huge.bin', 9007199254740993n]);
  });

  it.each([
    { rfc: 'RFC 3659 §7.2 entry = [ facts ] SP pathname: no space', line: 'type=file;size=1;', code: 'MLSD_NO_SPACE' },
    { rfc: 'RFC 3659 §7.4 "a series of keyword=value pairs": no "="', line: 'type=file;size; x', code: 'MLSD_BAD_FACT' },
    { rfc: 'RFC 3659 §7.2 fact = factname "=" value: empty name', line: '=file; x', code: 'MLSD_BAD_FACT' },
    { rfc: 'RFC 3659 §7.5.7 size-fact = "Size" "=" 1*DIGIT', line: 'size=12kB; x', code: 'MLSD_BAD_VALUE' },
    { rfc: 'RFC 3659 §7.5.7, a size past INT64_MAX: no file has it, refused rather than rounded', line: 'type=file;size=9223372036854775808; x', code: 'BYTE_COUNT_TOO_LARGE' },
  ])('$rfc', ({ line, code }) => {
    const parsed = parseMlsdLine(line);
    expect(!parsed.ok && parsed.error).toMatchObject({ code, reply: null });
  });

  it('a fact named __proto__ is just a fact', () => {
    const parsed = parseMlsdLine('__proto__=x;type=file; f');
    expect(parsed.ok && parsed.value.facts['__proto__']).toBe('x');
    expect(parsed.ok && parsed.value.type).toBe('file');
  });
});

describe('formatting MLSD for our server', () => {
  it('RFC 3659 §7.5.10: type, size, modify, perm (and unique) for a file', () => {
    const info = { name: 'a b.txt', type: 'file' as const, size: 12n, modified: utc(2024, 1, 2, 3, 4, 5), unique: 'd01i42' };
    expect(formatMlsdLine(info)).toBe('type=file;size=12;modify=20240102030405;perm=radfw;unique=d01i42;UNIX.mode=0644; a b.txt');
  });

  it('RFC 3659 §7.5.7: a size above 2^53 is written exactly, and one past INT64_MAX is refused', () => {
    const modified = utc(2024, 1, 1, 0, 0, 0);
    expect(mlsdFacts({ name: 'huge.bin', type: 'file', size: 9007199254740993n, modified })['size']).toBe('9007199254740993');
    expect(mlsdFacts({ name: 'max.bin', type: 'file', size: 9223372036854775807n, modified })['size']).toBe('9223372036854775807');
    expect(() => mlsdFacts({ name: 'x', type: 'file', size: 9223372036854775808n, modified })).toThrow(/9223372036854775807/);
  });

  it('RFC 3659 §7.5.7 "The size fact applies to non-directory file types"; §7.5.5 perm for a directory', () => {
    const facts = mlsdFacts({ name: 'pub', type: 'dir', size: 4096n, modified: utc(2024, 1, 1, 0, 0, 0), mode: 0o555 });
    expect(facts).toEqual({ type: 'dir', modify: '20240101000000', perm: 'el', 'UNIX.mode': '0555' });
  });

  it('a symlink with no mode gets the same default mode in MLSD as in LIST (0777)', () => {
    const info = { name: 'latest', type: 'symlink' as const, size: 9n, modified: utc(2024, 1, 1, 0, 0, 0), target: 'v1.2' };
    expect(mlsdFacts(info)['UNIX.mode']).toBe('0777');
    expect(formatUnixListLine(info, utc(2024, 6, 1, 0, 0, 0))).toMatch(/^lrwxrwxrwx /);
  });

  it.each([
    { rfc: 'RFC 3659 §7.5.3, a date a time-val cannot hold (year 10000) from the file system: no modify fact', modified: utc(10000, 1, 1, 0, 0, 0) },
    { rfc: 'RFC 3659 §7.5.3, an invalid Date from the file system: no modify fact', modified: new Date(Number.NaN) },
  ])('$rfc', ({ modified }) => {
    const info = { name: 'odd', type: 'file' as const, size: 1n, modified };
    expect(mlsdFacts(info)).not.toHaveProperty('modify');
    expect(formatMlsdLine(info)).toBe('type=file;size=1;perm=radfw;UNIX.mode=0644; odd');
  });

  it('RFC 3659 §7.5.1.5 a symlink as an OS type', () => {
    expect(mlsdFacts({ name: 'l', type: 'symlink', size: 3n, modified: utc(2024, 1, 1, 0, 0, 0) })['type']).toBe('OS.unix=symlink');
  });

  it('RFC 3659 §7.4 "may not contain a semi-colon" / "may not contain the space character": formatter refuses', () => {
    expect(() => formatMlsdEntry({ type: 'a;b' }, 'x')).toThrow(RangeError);
    expect(() => formatMlsdEntry({ 'my fact': 'a' }, 'x')).toThrow(RangeError);
    expect(() => formatMlsdEntry({ x: 'a b' }, 'x')).toThrow(RangeError);
  });

  it('RFC 3659 §2.2, CR and LF in a name become "?"', () => {
    expect(formatMlsdEntry({ type: 'file' }, 'a\r\nb')).toBe('type=file; a??b');
  });
});

describe('properties', () => {
  const factName = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789.-_'), minLength: 1, maxLength: 10 });
  // RCHAR / SCHAR of RFC 3659 §2.1 (no ';', no space).
  const factValue = fc.string({ unit: fc.constantFrom(...'abcXYZ019,.:!@#$%^&()-_+?/\\\'"='), maxLength: 12 });
  const facts = fc.dictionary(factName.filter((n) => !['size', 'modify', 'create'].includes(n)), factValue, { maxKeys: 6 });
  const name = fc.string({ unit: 'grapheme', maxLength: 30 }).filter((n) => !/[\r\n]/.test(n));
  const when = fc.date({ min: utc(1000, 1, 1, 0, 0, 0), max: utc(9999, 12, 31, 23, 59, 59), noInvalidDate: true });

  it('format then parse is the identity for MLSD facts and names', () => {
    fc.assert(
      fc.property(facts, name, fc.option(fc.bigInt({ min: 0n, max: 2n ** 63n - 1n })), fc.option(when), (f, n, size, modify) => {
        const all = { ...f, ...(size !== null ? { size: String(size) } : {}), ...(modify !== null ? { modify: formatMlsdTime(modify)! } : {}) };
        const parsed = parseMlsdLine(formatMlsdEntry(all, n));
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(parsed.value.name).toBe(n);
        expect({ ...parsed.value.facts }).toEqual(all);
        expect(parsed.value.size).toBe(size);
        expect(parsed.value.modified).toEqual(modify);
        // An MLST entry is the same line after one space.
        expect(parseMlstLine(` ${formatMlsdEntry(all, n)}`)).toEqual(parsed);
      }),
      { numRuns: 500 },
    );
  });

  it('formatMlsdTime then parseMlsdTime is the identity', () => {
    fc.assert(fc.property(when, (d) => void expect(parseMlsdTime(formatMlsdTime(d)!)).toEqual(d)), { numRuns: 1000 });
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(nastyText, (line) => {
        parseMlsdLine(line);
        parseMlstLine(line);
        parseMlsdTime(line);
      }),
      { numRuns: 1000 },
    );
  });
});
