// `sockstep ...` run in the test's own process, its lines collected: quicker than a child
// process, and a test can play Ctrl-C with `stop()`.
import { main, type CliIo } from '../../runtime/cli/main.ts';

export interface InProcessRun {
  /** The exit code, once the command has ended. */
  code: Promise<number>;
  out: string[];
  err: string[];
  /** Ctrl-C: every wait for an interrupt hears it. */
  stop(): void;
}

/** Run `sockstep <argv>` with `cwd` as its working folder. */
export function sockstepIn(cwd: string, argv: string[]): InProcessRun {
  const out: string[] = [];
  const err: string[] = [];
  let interrupt!: () => void;
  const stopped = new Promise<'interrupted'>((resolve) => (interrupt = () => resolve('interrupted')));
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), cwd, interrupted: () => ({ promise: stopped, dispose() {} }) };
  return { code: main(argv, io), out, err, stop: interrupt };
}
