/**
 * Tests that need a program from outside npm (Chromium, python3, curl...).
 * Where the program is missing the tests are skipped, with a message that
 * names the Debian package to install; with REQUIRE_PEERS=1 (as CI may set)
 * they fail instead, so that a missing install step cannot pass unnoticed.
 *
 *   const chromium = needTool('/usr/bin/chromium', 'chromium');
 *   chromium.describe('lesson page in a browser', () => { ... });
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

export interface ToolCheck {
  /** Where the tool was found, or null. */
  path: string | null;
  /** Why the tests will not run, or null when the tool is there. */
  missing: string | null;
  /** `describe` when the tool is there; otherwise a skipping (or, with REQUIRE_PEERS=1, failing) stand-in. */
  describe: (name: string, body: () => void) => void;
}

/** An absolute path, or a command name looked up on PATH. */
function locate(tool: string): string | null {
  if (tool.includes('/')) return existsSync(tool) ? tool : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, tool))) return join(dir, tool);
  }
  return null;
}

export function needTool(tool: string, debianPackage: string): ToolCheck {
  const path = locate(tool);
  if (path !== null) return { path, missing: null, describe: (name, body) => describe(name, body) };
  const missing = `${tool} not found: install the Debian package '${debianPackage}' (apt-get install -y ${debianPackage})`;
  if (process.env.REQUIRE_PEERS === '1') {
    return {
      path,
      missing,
      describe: (name, _body) =>
        describe(name, () => {
          it(`needs ${tool}`, () => {
            throw new Error(`${missing}. REQUIRE_PEERS=1 makes this a failure, not a skip.`);
          });
        }),
    };
  }
  return { path, missing, describe: (name, body) => describe.skip(`${name} (skipped: ${missing})`, body) };
}
