import { OPERATORS, OPERATOR_LABELS, type Operator } from '../../domain/operators.ts';
import { PLAUSIBLE_DBM, TECHNOLOGIES, TECHNOLOGY_LABELS } from '../../domain/signal.ts';
import { ChoiceGroup } from '../survey/ChoiceGroup.tsx';
import type { TrackChoices, TrackMode } from './track-choices.ts';

interface Props {
  choices: TrackChoices;
  onChange: (patch: Partial<TrackChoices>) => void;
  /** A campaign's operators, in its order; all of them otherwise. */
  operators?: readonly Operator[] | undefined;
}

const BARS = [0, 1, 2, 3, 4] as const;
const MODES: { value: TrackMode; label: string }[] = [
  { value: 'outdoor', label: 'À pied' },
  { value: 'vehicle', label: 'En véhicule' },
];

/**
 * What the phone shows, as big one-tap buttons the agent can change at any time of a track:
 * the next point takes the latest.
 */
export function TrackChoicesFields({ choices, onChange, operators = OPERATORS }: Props) {
  const dbmRange = choices.technology && choices.technology !== 'none' ? PLAUSIBLE_DBM[choices.technology] : undefined;
  return (
    <div class="track-choices">
      <ChoiceGroup
        legend="Déplacement"
        name="track-mode"
        options={MODES}
        value={choices.setting === 'vehicle' ? 'vehicle' : 'outdoor'}
        onChange={(setting) => onChange({ setting })}
      />
      <ChoiceGroup
        legend="Opérateur (celui de la carte SIM)"
        name="track-operator"
        options={operators.map((value) => ({ value, label: OPERATOR_LABELS[value] }))}
        value={choices.operator}
        onChange={(operator) => onChange({ operator })}
      />
      <ChoiceGroup
        legend="Réseau affiché par le téléphone"
        name="track-technology"
        options={TECHNOLOGIES.map((value) => ({ value, label: TECHNOLOGY_LABELS[value] }))}
        value={choices.technology}
        onChange={(technology) => onChange({ technology })}
      />
      {choices.technology !== 'none' && (
        <>
          <ChoiceGroup
            legend="Signal saisi en"
            name="track-signal-mode"
            options={[
              { value: 'bars', label: 'Barres' },
              { value: 'dbm', label: 'dBm' },
            ]}
            value={choices.signalMode}
            onChange={(signalMode) => onChange({ signalMode })}
          />
          {choices.signalMode === 'bars' ? (
            <ChoiceGroup
              legend="Barres de réseau"
              name="track-bars"
              options={BARS.map((bars) => ({ value: bars, label: String(bars) }))}
              value={choices.signalBars as (typeof BARS)[number] | undefined}
              onChange={(signalBars) => onChange({ signalBars })}
            />
          ) : (
            <div class="field">
              <label for="track-dbm">
                Signal en dBm{' '}
                {dbmRange && (
                  <span class="hint">
                    ({dbmRange.metric}, de {dbmRange.min} à {dbmRange.max})
                  </span>
                )}
              </label>
              <input
                id="track-dbm"
                type="text"
                inputMode="numeric"
                pattern="[-−]?[0-9]*"
                placeholder="ex. -105"
                value={choices.signalDbm}
                onInput={(event) => onChange({ signalDbm: event.currentTarget.value })}
              />
            </div>
          )}
        </>
      )}
    </div>
  );
}
