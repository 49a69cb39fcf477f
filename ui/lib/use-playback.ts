/**
 * Play: step forward on a timer, at a chosen number of steps per second,
 * stopping at the last step. Pressing play at the end starts over.
 */
import { useEffect, useState } from 'preact/hooks';

export const SPEEDS = [0.5, 1, 2, 4, 8, 16, 32] as const;

export interface Playback {
  playing: boolean;
  /** Steps per second. */
  speed: number;
  toggle(): void;
  pause(): void;
  setSpeed(speed: number): void;
}

export function usePlayback(step: number, count: number, setStep: (step: number) => void): Playback {
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(2);

  useEffect(() => {
    if (!playing) return;
    if (step >= count - 1) {
      setPlaying(false);
      return;
    }
    const timer = setTimeout(() => setStep(step + 1), 1000 / speed);
    return () => clearTimeout(timer);
  }, [playing, step, count, speed, setStep]);

  return {
    playing,
    speed,
    setSpeed,
    pause: () => setPlaying(false),
    toggle: () => {
      if (!playing && step >= count - 1) setStep(0);
      setPlaying(!playing);
    },
  };
}
