/**
 * A saved trace in the page, streamed (trace-stream.ts), never read whole:
 * the page reads until it holds a window of steps (WINDOW_STEPS), shows the
 * first step as soon as the first chunk is read, and stops. "Read on"
 * lets the oldest steps go and reads the next ones; "from the start"
 * opens the file again. So a file of any size shows its first step at
 * once and costs the page a window of memory.
 *
 * What goes wrong is said in a sentence (trace-stream.ts `problemText`),
 * with the steps read before it shown.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Role } from '../../runtime/trace/records.ts';
import { RunModel } from '../trace/run-model.ts';
import { KEEP_STEPS, WINDOW_STEPS } from './live-feed.ts';
import { problemText, streamReader, type StreamProblem, type TraceStreamReader } from './trace-stream.ts';

/** Records read per batch: one render each. */
export const FILE_BATCH = 5000;

export interface OpenedTrace {
  name: string;
  /** In bytes, when known. */
  size: number | null;
  stream: ReadableStream<Uint8Array>;
}

export type TraceOpener = () => Promise<OpenedTrace>;

export interface TraceFileState {
  status: 'opening' | 'reading' | 'paused' | 'done' | 'failed';
  name: string;
  size: number | null;
  /** Bytes read so far. */
  bytes: number;
  model: RunModel;
  version: number;
  /** What went wrong, as a sentence (with what was shown before it), or null. */
  problem: string | null;
  problemKind: StreamProblem['kind'] | 'open' | null;
  /** The step shown, among those held. */
  step: number;
  setStep(step: number): void;
  /** Read the next steps (letting the oldest go). */
  readOn(): void;
  /** Open the file again from its first step. */
  restart(): void;
  /** Milliseconds from opening to the first step on screen (null before it). */
  firstStepMs: number | null;
  windowSteps: number;
}

export function useTraceFile(
  open: TraceOpener | null,
  key: string,
  startStep: number | null,
  machineRoles: Readonly<Record<string, Role>> = {},
): TraceFileState {
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<{ status: TraceFileState['status']; name: string; size: number | null; problem: string | null; problemKind: TraceFileState['problemKind'] }>({
    status: 'opening',
    name: '',
    size: null,
    problem: null,
    problemKind: null,
  });
  const model = useRef(new RunModel({ machineRoles }));
  const reader = useRef<TraceStreamReader | null>(null);
  /** The step shown, by its number in the run (from 0). */
  const held = useRef(startStep ?? 0);
  const firstStepMs = useRef<number | null>(null);
  const opened = useRef(0);
  const generation = useRef(0);
  const [restarts, setRestarts] = useState(0);

  /** Read until the model holds `untilRunSteps` steps of the run, or the file ends. */
  const pump = useCallback(async (gen: number, untilRunSteps: number) => {
    const r = reader.current;
    if (r === null) return;
    setState((s) => ({ ...s, status: 'reading' }));
    while (!r.finished && model.current.runSteps < untilRunSteps) {
      if (model.current.steps.count >= WINDOW_STEPS) {
        // Reading on: the oldest steps go to make room.
        model.current = model.current.compact(KEEP_STEPS);
        held.current = Math.max(held.current, model.current.steps.firstStep);
      }
      // A record is at most one step: asking for as many records as there is room for steps never overfills the window.
      const room = Math.min(FILE_BATCH, untilRunSteps - model.current.runSteps, WINDOW_STEPS - model.current.steps.count);
      const records = await r.next(room);
      if (gen !== generation.current) return;
      if (records.length > 0) {
        model.current.append(records);
        if (firstStepMs.current === null && model.current.steps.count > 0) firstStepMs.current = performance.now() - opened.current;
        setVersion((v) => v + 1);
        // Let the page paint between batches.
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (gen !== generation.current) return;
      }
    }
    const problem = r.problem;
    setState((s) => ({
      ...s,
      status: r.finished ? 'done' : 'paused',
      problem: problem === null ? null : problemText(`“${s.name}”`, problem, model.current.runSteps),
      problemKind: problem?.kind ?? null,
    }));
    setVersion((v) => v + 1);
  }, []);

  useEffect(() => {
    if (open === null) return;
    const gen = ++generation.current;
    model.current = new RunModel({ machineRoles });
    firstStepMs.current = null;
    opened.current = performance.now();
    setState({ status: 'opening', name: '', size: null, problem: null, problemKind: null });
    setVersion((v) => v + 1);
    open().then(
      (trace) => {
        if (gen !== generation.current) {
          void trace.stream.cancel().catch(() => undefined);
          return;
        }
        reader.current?.cancel();
        reader.current = streamReader(trace.stream);
        setState({ status: 'reading', name: trace.name, size: trace.size, problem: null, problemKind: null });
        // The window first; further if the address names a later step.
        void pump(gen, Math.max(WINDOW_STEPS, held.current + 1));
      },
      (error: unknown) => {
        if (gen !== generation.current) return;
        setState((s) => ({ ...s, status: 'failed', problem: error instanceof Error ? error.message : String(error), problemKind: 'open' }));
      },
    );
    return () => {
      generation.current++;
      reader.current?.cancel();
      reader.current = null;
    };
  }, [open, key, restarts]);

  const m = model.current;
  const count = m.steps.count;
  const step = count === 0 ? 0 : Math.max(0, Math.min(count - 1, held.current - m.steps.firstStep));

  const setStep = useCallback((s: number) => {
    const c = model.current.steps.count;
    held.current = model.current.steps.firstStep + Math.max(0, Math.min(c - 1, Math.trunc(s)));
    setVersion((v) => v + 1);
  }, []);
  const readOn = useCallback(() => {
    if (reader.current === null || reader.current.finished) return;
    void pump(generation.current, model.current.runSteps + (WINDOW_STEPS - KEEP_STEPS));
  }, [pump]);
  const restart = useCallback(() => {
    held.current = 0;
    setRestarts((n) => n + 1);
  }, []);

  return {
    ...state,
    bytes: reader.current?.bytes ?? 0,
    model: m,
    version,
    step,
    setStep,
    readOn,
    restart,
    firstStepMs: firstStepMs.current,
    windowSteps: WINDOW_STEPS,
  };
}
