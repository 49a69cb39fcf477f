/**
 * The transport bar: first, back, play/pause, forward, last, a speed menu
 * and a scrubber. ← and → work anywhere on the page (see lib/use-step-keys.ts).
 */
import type { Playback } from '../../lib/use-playback.ts';
import { SPEEDS } from '../../lib/use-playback.ts';
import styles from './style.module.css';

export interface StepControlsProps {
  /** The step shown, from 0 among the steps held. */
  step: number;
  count: number;
  /** Steps of the run before the first one held (a long run's window): numbers shown count from the run's start. Default 0. */
  first?: number;
  onStep(step: number): void;
  playback: Playback;
}

const ICONS = {
  first: 'M5 4h2v12H5zM16 4v12L8 10z',
  back: 'M14 4v12L6 10z',
  forward: 'M6 4v12l8-6z',
  last: 'M13 4h2v12h-2zM4 4v12l8-6z',
  play: 'M6 3v14l11-7z',
  pause: 'M5 4h3.5v12H5zM11.5 4H15v12h-3.5z',
};

function Icon({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
      <path d={d} fill="currentColor" />
    </svg>
  );
}

/** A step number as the page shows it: '1,234'. */
export const stepNumber = (n: number) => n.toLocaleString('en-US');

export function StepControls({ step, count, onStep, playback, first = 0 }: StepControlsProps) {
  const atStart = step <= 0;
  const atEnd = step >= count - 1;
  const go = (next: number) => {
    playback.pause();
    onStep(next);
  };
  return (
    <div class={styles.controls} role="toolbar" aria-label="Step through the run">
      <div class={styles.buttons}>
        <button type="button" class={styles.button} onClick={() => go(0)} disabled={atStart} aria-label="First step" title="First step (Home)" data-testid="step-first">
          <Icon d={ICONS.first} />
        </button>
        <button type="button" class={styles.button} onClick={() => go(step - 1)} disabled={atStart} aria-label="Step back" title="Step back (←)" data-testid="step-back">
          <Icon d={ICONS.back} />
        </button>
        <button
          type="button"
          class={`${styles.button} ${styles.play}`}
          onClick={playback.toggle}
          aria-label={playback.playing ? 'Pause' : 'Play'}
          aria-pressed={playback.playing}
          title={playback.playing ? 'Pause' : 'Play'}
          data-testid="step-play"
        >
          <Icon d={playback.playing ? ICONS.pause : ICONS.play} />
        </button>
        <button type="button" class={styles.button} onClick={() => go(step + 1)} disabled={atEnd} aria-label="Step forward" title="Step forward (→)" data-testid="step-forward">
          <Icon d={ICONS.forward} />
        </button>
        <button type="button" class={styles.button} onClick={() => go(count - 1)} disabled={atEnd} aria-label="Last step" title="Last step (End)" data-testid="step-last">
          <Icon d={ICONS.last} />
        </button>
      </div>
      <label class={styles.speed}>
        <span>Speed</span>
        <select value={String(playback.speed)} onChange={(e) => playback.setSpeed(Number(e.currentTarget.value))} aria-label="Playback speed, steps per second">
          {SPEEDS.map((s) => (
            <option key={s} value={String(s)}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <input
        class={styles.scrubber}
        type="range"
        min={first + 1}
        max={first + Math.max(1, count)}
        value={first + step + 1}
        onInput={(e) => go(Number(e.currentTarget.value) - 1 - first)}
        aria-label="Step"
        aria-valuetext={`Step ${first + step + 1} of ${first + count}`}
        data-testid="scrubber"
      />
      {/* Not a live region: the step caption is, and it says the step number too (said once, not twice). */}
      <p class={styles.counter} data-testid="step-counter">
        Step <strong>{first === 0 ? step + 1 : stepNumber(first + step + 1)}</strong> of {first === 0 ? count : stepNumber(first + count)}
      </p>
    </div>
  );
}
