/**
 * A test machine that makes file calls from a script, one after another:
 * each step names a call and its input; a string '$file' in an input is the
 * handle the latest openFile gave. It keeps every result (or error code)
 * and can spawn a child that runs a script of its own (to check that a
 * child works in its parent's folder). Pure, as lesson machines are.
 */
import { assign, setup, spawnChild, type AnyStateMachine } from 'xstate';
import { FILE_CALLS, fileActors, type FileCallName } from '../../machines/file-calls.ts';
import { toSocketError } from '../../machines/socket-calls.ts';

export interface Step {
  call: FileCallName;
  input: Record<string, unknown>;
}

interface Context {
  steps: Step[];
  i: number;
  file: string | null;
  results: unknown[];
}

function inputOf(context: Context): unknown {
  const step = context.steps[context.i]!;
  return Object.fromEntries(Object.entries(step.input).map(([k, v]) => [k, v === '$file' ? context.file : v]));
}

/** What a call gave, kept readable: bytes as text. */
function resultOf(output: unknown): unknown {
  if (output instanceof Uint8Array) return new TextDecoder().decode(output);
  return output;
}

function scripted(id: string, child?: AnyStateMachine): AnyStateMachine {
  const states: Record<string, object> = {
    next: {
      always: [
        { guard: ({ context }: { context: Context }) => context.i >= context.steps.length, target: 'done' },
        ...FILE_CALLS.map((name) => ({ guard: ({ context }: { context: Context }) => context.steps[context.i]!.call === name, target: name })),
      ],
    },
    done: { type: 'final' },
  };
  for (const name of FILE_CALLS) {
    states[name] = {
      invoke: {
        src: name,
        input: ({ context }: { context: Context }) => inputOf(context),
        onDone: {
          target: 'next',
          actions: assign((({ context, event }: { context: Context; event: { output: unknown } }) => ({
            i: context.i + 1,
            file: name === 'openFile' ? (event.output as { file: string }).file : context.file,
            results: [...context.results, resultOf(event.output)],
          })) as never),
        },
        onError: {
          target: 'next',
          actions: assign((({ context, event }: { context: Context; event: { error: unknown } }) => ({
            i: context.i + 1,
            results: [...context.results, toSocketError(event.error).code],
          })) as never),
        },
      },
    };
  }
  return setup({
    types: { context: {} as Context, input: {} as { steps: Step[]; childSteps?: Step[] } },
    actors: { ...fileActors, ...(child === undefined ? {} : { child }) } as typeof fileActors,
  }).createMachine({
    id,
    context: ({ input }) => ({ steps: input.steps, i: 0, file: null, results: [] }),
    entry: child === undefined ? [] : spawnChild('child' as never, { id: `${id}-child`, input: ({ event }: { event: { input?: { childSteps?: Step[] } } }) => ({ steps: event.input?.childSteps ?? [] }) } as never),
    initial: 'next',
    states: states as never,
    output: ({ context }) => context.results,
  }) as unknown as AnyStateMachine;
}

export const scriptedFiles = scripted('files');
export const childFiles = scripted('child');
export const parentFiles = scripted('parent', childFiles);
