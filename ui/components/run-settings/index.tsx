/**
 * What the shown run is and how to get another: the lesson's scenarios as
 * a switch, the simulated network's seed (what it is and what it changes),
 * and a way to open a saved trace file (shown by the trace page).
 */
import { useId, useState } from 'preact/hooks';
import type { Scenario } from '../../../lessons/lesson-types.ts';
import styles from './style.module.css';

export type TraceSource = { kind: 'sim'; seed: number } | { kind: 'file'; name: string };

export interface RunSettingsProps {
  scenarios: readonly Scenario[];
  scenario: string;
  source: TraceSource;
  onScenario(id: string): void;
  onSeed(seed: number): void;
  onOpenFile(file: File): void;
  onCloseTrace(): void;
}

/** Largest seed the box takes: any whole number the simulated network's generator accepts. */
const MAX_SEED = 2 ** 31 - 1;

export function RunSettings({ scenarios, scenario, source, onScenario, onSeed, onOpenFile, onCloseTrace }: RunSettingsProps) {
  const seedId = useId();
  const seedHelp = useId();
  const seed = source.kind === 'sim' ? source.seed : 1;
  const [draft, setDraft] = useState(String(seed));
  const valid = /^\d+$/.test(draft.trim()) && Number(draft) >= 1 && Number(draft) <= MAX_SEED;
  return (
    <div class={styles.settings} data-testid="run-settings">
      {scenarios.length > 1 && (
        <div class={styles.scenarios} role="group" aria-label="Scenario" data-testid="scenario-switch">
          <span class={styles.label}>Scenario</span>
          {scenarios.map((s) => (
            <button
              key={s.id}
              type="button"
              class={styles.scenario}
              aria-pressed={s.id === scenario}
              onClick={() => s.id !== scenario && onScenario(s.id)}
              data-scenario={s.id}
            >
              {s.title}
            </button>
          ))}
        </div>
      )}
      {source.kind === 'sim' ? (
        <form
          class={styles.seed}
          onSubmit={(e) => {
            e.preventDefault();
            if (valid && Number(draft) !== seed) onSeed(Number(draft));
          }}
        >
          <label for={seedId} class={styles.label}>
            Seed
          </label>
          <input
            id={seedId}
            class={styles.seedInput}
            type="number"
            min={1}
            max={MAX_SEED}
            step={1}
            value={draft}
            onInput={(e) => setDraft(e.currentTarget.value)}
            aria-describedby={seedHelp}
            aria-invalid={!valid}
            data-testid="seed-input"
          />
          <button type="submit" class={styles.button} disabled={!valid || Number(draft) === seed}>
            Run
          </button>
          <button type="button" class={styles.button} onClick={() => onSeed(seed >= MAX_SEED ? 1 : seed + 1)} data-testid="seed-next">
            Next seed
          </button>
          <p id={seedHelp} class={styles.help} data-testid="seed-help">
            The seed picks how the simulated network cuts each send into segments and how fast they travel, and so how the
            programs interleave. The same seed replays the same run.
          </p>
        </form>
      ) : (
        <p class={styles.fileNote} role="status" data-testid="trace-file-note">
          Showing the trace file “{source.name}”.{' '}
          <button type="button" class={styles.button} onClick={onCloseTrace}>
            Back to the simulated run
          </button>
        </p>
      )}
      <label class={styles.open}>
        <input
          type="file"
          accept=".jsonl,.json,.ndjson,.txt,application/json"
          class="visually-hidden"
          data-testid="trace-file"
          onChange={(e) => {
            const input = e.currentTarget;
            const file = input.files?.[0];
            if (file === undefined) return;
            input.value = '';
            onOpenFile(file);
          }}
        />
        <span class={styles.button}>Open a trace file…</span>
      </label>
    </div>
  );
}
