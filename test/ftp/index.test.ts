/**
 * The protocol core's public surface, and the rules it lives by: browser-safe
 * (no node: import, no Buffer, no process), small files (STYLE.md).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as protocol from '../../machines/ftp/protocol/index.ts';

const DIR = join(import.meta.dirname, '../../machines/ftp/protocol');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.ts'));

describe('machines/ftp/protocol', () => {
  it.each(FILES)('%s is browser-safe: no node: import, Buffer or process', (file) => {
    const source = readFileSync(join(DIR, file), 'utf8');
    expect(source).not.toMatch(/from\s+['"]node:/);
    expect(source).not.toMatch(/\bBuffer\b|\bprocess\./);
  });

  it.each(FILES)('%s stays under 300 lines', (file) => {
    expect(readFileSync(join(DIR, file), 'utf8').split('\n').length).toBeLessThan(300);
  });

  it('index.ts only re-exports, and every export is defined', () => {
    const source = readFileSync(join(DIR, 'index.ts'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const statement of source.split(';').map((s) => s.trim()).filter(Boolean)) expect(statement).toMatch(/^export (type )?\{[\s\S]*\} from '\.\/[a-z-]+\.ts'$/);
    for (const [name, value] of Object.entries(protocol)) expect(value, name).toBeDefined();
  });
});
