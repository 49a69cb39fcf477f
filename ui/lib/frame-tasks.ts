/**
 * Reading the page's layout (a box's scroll position, a line's place) and
 * then changing it (scrolling), done at the start of the next frame, all
 * reads first and then all writes, instead of in an effect of the step's
 * render. An effect may run in the middle of the next step's render (Preact
 * runs a component's pending effects before rendering it again, as happens
 * when the scrubber moves every frame): a read there makes the browser lay
 * the page out once for the half-rendered step and again for the whole one.
 * In the next frame's callbacks the page is laid out at most once for all
 * of them, and their writes (scrolling) change no layout.
 */

interface Task {
  read(): unknown;
  write(measured: unknown): void;
}

const tasks = new Map<object, Task>();
let scheduled = false;

function run(): void {
  scheduled = false;
  const list = [...tasks.values()];
  tasks.clear();
  const measured = list.map((t) => t.read());
  list.forEach((t, i) => t.write(measured[i]));
}

/**
 * Measure with `read` and act with `write` at the next frame. One task per
 * `key` (a component's element, say): asking again before the frame
 * replaces the task that was waiting.
 */
export function inNextFrame<T>(key: object, read: () => T, write: (measured: T) => void): void {
  tasks.set(key, { read, write: write as (measured: unknown) => void });
  if (scheduled) return;
  scheduled = true;
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run);
  else setTimeout(run, 0);
}

/** Forget a task that has not run yet (its component is going away). */
export function cancelFrameTask(key: object): void {
  tasks.delete(key);
}
