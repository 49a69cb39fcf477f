/**
 * Checks of the options every command shares. A bad value is a UsageError:
 * one line, exit code 2.
 */
import { UsageError } from './cli-errors.ts';

/** Parse a port option: a whole number from 0 (or 1) to 65535. */
export function parsePort(text: string | undefined, fallback: number, { allowZero }: { allowZero: boolean }): number {
  if (text === undefined) return fallback;
  const low = allowZero ? 0 : 1;
  if (!/^\d+$/.test(text) || Number(text) < low || Number(text) > 65535) {
    throw new UsageError(`--port must be a whole number from ${low} to 65535 (got "${text}")`);
  }
  return Number(text);
}

/** Parse a host option: any name or address, but not blank (which would mean every interface). */
export function parseHost(text: string | undefined, fallback: string): string {
  if (text === undefined) return fallback;
  if (text.trim() === '') throw new UsageError('--host must not be empty (use 127.0.0.1 for this machine only, 0.0.0.0 for every interface)');
  return text;
}
