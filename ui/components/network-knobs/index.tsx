/**
 * The knobs a scenario offers (lessons/knobs.ts): each a menu of values
 * with what it models said beside it; turning one re-runs the simulation at
 * once (the page's address changes and the run follows it). Two presets
 * set them all: what Linux does on loopback, and everything TCP allows,
 * often. No lesson is named here: the scenario says which knobs it has.
 */
import { useId } from 'preact/hooks';
import { KNOBS, knobIds, ownSetting, presetOf, presetValues, PRESETS, type KnobId, type KnobValues, type ScenarioKnob } from '../../../lessons/knobs.ts';
import type { Scenario } from '../../../lessons/lesson-types.ts';
import styles from './style.module.css';

export interface NetworkKnobsProps {
  knobs: readonly ScenarioKnob[];
  /** The scenario's own network: what a knob left alone is set to. */
  network: Scenario['network'];
  values: KnobValues;
  onChange(values: KnobValues): void;
}

function Knob({ id, value, own, onChange }: { id: KnobId; value: number | undefined; own: string; onChange(value: number | undefined): void }) {
  const knob = KNOBS[id];
  const selectId = useId();
  const helpId = useId();
  return (
    <div class={styles.knob} data-testid="knob" data-knob={id}>
      <label for={selectId} class={styles.label}>
        {knob.label}
      </label>
      <select
        id={selectId}
        class={styles.select}
        value={value === undefined ? '' : String(value)}
        aria-describedby={helpId}
        onChange={(e) => {
          const raw = e.currentTarget.value;
          onChange(raw === '' ? undefined : Number(raw));
        }}
      >
        <option value="">{own} (the scenario’s)</option>
        {knob.choices.map((c) => (
          <option key={c.value} value={String(c.value)}>
            {c.label}
          </option>
        ))}
      </select>
      <p id={helpId} class={styles.models}>
        {knob.models}
      </p>
    </div>
  );
}

export function NetworkKnobs({ knobs, network, values, onChange }: NetworkKnobsProps) {
  const ids = knobIds(knobs);
  const preset = presetOf(values, ids);
  const presets = PRESETS.filter((p) => Object.keys(presetValues(p.id, ids)).length > 0);
  return (
    <div class={styles.knobs} data-testid="network-knobs">
      {presets.length > 0 && (
        <div class={styles.presets} role="group" aria-label="Presets">
          {presets.map((p) => (
            <button
              key={p.id}
              type="button"
              class={styles.preset}
              aria-pressed={preset === p.id}
              title={p.says}
              data-preset={p.id}
              onClick={() => onChange({ ...values, ...presetValues(p.id, ids) })}
            >
              {p.label}
            </button>
          ))}
          <button type="button" class={styles.preset} data-preset="reset" disabled={Object.keys(values).length === 0} onClick={() => onChange({})}>
            The scenario’s own
          </button>
          <p class={styles.says}>{preset === null ? 'Each knob re-runs the simulation at once; the seed picks among the runs they allow.' : PRESETS.find((p) => p.id === preset)!.says}</p>
        </div>
      )}
      <div class={styles.grid}>
        {ids.map((id) => (
          <Knob
            key={id}
            id={id}
            value={values[id]}
            own={ownSetting(id, network)}
            onChange={(value) => {
              const next = { ...values };
              if (value === undefined) delete next[id];
              else next[id] = value;
              onChange(next);
            }}
          />
        ))}
      </div>
    </div>
  );
}
