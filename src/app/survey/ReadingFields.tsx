import { OPERATORS, OPERATOR_LABELS, type Operator } from '../../domain/operators.ts';
import { SETTINGS, SETTING_LABELS, SMS_LABELS, SMS_RESULTS, VOICE_LABELS, VOICE_RESULTS, MAX_NOTE_LENGTH } from '../../domain/reading.ts';
import { PLAUSIBLE_DBM, TECHNOLOGIES, TECHNOLOGY_LABELS } from '../../domain/signal.ts';
import type { FieldError } from '../../domain/reading.ts';
import type { SurveyChoices } from './survey-choices.ts';
import { ChoiceGroup, choiceGroupId } from './ChoiceGroup.tsx';
import { ErrorSummary, type FieldTargets } from './ErrorSummary.tsx';

interface Props {
  choices: SurveyChoices;
  onChange: (patch: Partial<SurveyChoices>) => void;
  errors: FieldError[];
  /** Prefix for element ids, so that two forms can share a page. */
  idPrefix: string;
  /** The operators to offer, in this order (a campaign's); all of them by default. */
  operators?: readonly Operator[] | undefined;
  /** Changed after a refused save: the first field in error then takes the focus. */
  focusRequest?: number | undefined;
}

const BARS = [0, 1, 2, 3, 4] as const;
/** Where each field's error leads, in the form's order (the signal's input depends on the mode). */
function fieldTargets(idPrefix: string, choices: SurveyChoices): FieldTargets {
  const signal = choices.signalMode === 'bars' ? choiceGroupId(`${idPrefix}-bars`) : `${idPrefix}-dbm`;
  return [
    ['operator', choiceGroupId(`${idPrefix}-operator`)],
    ['technology', choiceGroupId(`${idPrefix}-technology`)],
    ['signalBars', signal],
    ['signalDbm', signal],
    ['setting', choiceGroupId(`${idPrefix}-setting`)],
    ['voice', `${idPrefix}-voice`],
    ['sms', `${idPrefix}-sms`],
    ['note', `${idPrefix}-note`],
  ];
}

/** The fields an agent fills in for a reading, under a summary of what is wrong; used to record and to correct. */
export function ReadingFields({ choices, onChange, errors, idPrefix, operators = OPERATORS, focusRequest }: Props) {
  const errorFor = (...fields: string[]) => errors.find((e) => fields.includes(e.field))?.message;
  const dbmRange = choices.technology && choices.technology !== 'none' ? PLAUSIBLE_DBM[choices.technology] : undefined;
  return (
    <>
      <ErrorSummary title="Le relevé n’est pas complet :" errors={errors} targets={fieldTargets(idPrefix, choices)} focusRequest={focusRequest} />
      <ChoiceGroup
        legend="Opérateur (celui de la carte SIM)"
        name={`${idPrefix}-operator`}
        options={operators.map((value) => ({ value, label: OPERATOR_LABELS[value] }))}
        value={choices.operator}
        onChange={(operator) => onChange({ operator })}
        error={errorFor('operator')}
      />
      <ChoiceGroup
        legend="Réseau affiché par le téléphone"
        name={`${idPrefix}-technology`}
        options={TECHNOLOGIES.map((value) => ({ value, label: TECHNOLOGY_LABELS[value] }))}
        value={choices.technology}
        onChange={(technology) => onChange({ technology })}
        error={errorFor('technology')}
      />
      {choices.technology !== 'none' && (
        <fieldset class="field">
          <legend>Signal</legend>
          <div class="segmented" role="radiogroup" aria-label="Mode de saisie du signal">
            {(['bars', 'dbm'] as const).map((mode) => (
              <label key={mode}>
                <input type="radio" name={`${idPrefix}-signal-mode`} checked={choices.signalMode === mode} onChange={() => onChange({ signalMode: mode })} />
                <span>{mode === 'bars' ? 'Barres' : 'dBm'}</span>
              </label>
            ))}
          </div>
          {choices.signalMode === 'bars' ? (
            <ChoiceGroup
              legend="Barres de réseau"
              name={`${idPrefix}-bars`}
              options={BARS.map((bars) => ({ value: bars, label: String(bars) }))}
              value={choices.signalBars as (typeof BARS)[number] | undefined}
              onChange={(signalBars) => onChange({ signalBars })}
              error={errorFor('signalBars')}
            />
          ) : (
            <div class="field">
              <label for={`${idPrefix}-dbm`}>
                Signal en dBm{' '}
                {dbmRange && (
                  <span class="hint">
                    ({dbmRange.metric}, de {dbmRange.min} à {dbmRange.max})
                  </span>
                )}
              </label>
              <input
                id={`${idPrefix}-dbm`}
                type="text"
                inputMode="numeric"
                pattern="[-−]?[0-9]*"
                placeholder="ex. -105"
                value={choices.signalDbm}
                aria-invalid={errorFor('signalDbm', 'signalBars') ? true : undefined}
                onInput={(event) => onChange({ signalDbm: event.currentTarget.value })}
              />
              <p class="hint">Android : Paramètres → À propos du téléphone → État de la SIM.</p>
              {errorFor('signalDbm', 'signalBars') && <p class="error">{errorFor('signalDbm', 'signalBars')}</p>}
            </div>
          )}
        </fieldset>
      )}
      <ChoiceGroup
        legend="Situation"
        name={`${idPrefix}-setting`}
        options={SETTINGS.map((value) => ({ value, label: SETTING_LABELS[value] }))}
        value={choices.setting}
        onChange={(setting) => onChange({ setting })}
        error={errorFor('setting')}
      />
      <div class="field-row">
        <div class="field">
          <label for={`${idPrefix}-voice`}>Test d’appel</label>
          <select id={`${idPrefix}-voice`} value={choices.voice} onChange={(event) => onChange({ voice: event.currentTarget.value as SurveyChoices['voice'] })}>
            {VOICE_RESULTS.map((value) => (
              <option key={value} value={value}>
                {VOICE_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${idPrefix}-sms`}>Test SMS</label>
          <select id={`${idPrefix}-sms`} value={choices.sms} onChange={(event) => onChange({ sms: event.currentTarget.value as SurveyChoices['sms'] })}>
            {SMS_RESULTS.map((value) => (
              <option key={value} value={value}>
                {SMS_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="field">
        <label for={`${idPrefix}-note`}>Note</label>
        <textarea
          id={`${idPrefix}-note`}
          rows={2}
          maxLength={MAX_NOTE_LENGTH}
          placeholder="ex. derrière la mairie, appel coupé au bout de 20 s"
          value={choices.note}
          onInput={(event) => onChange({ note: event.currentTarget.value })}
        />
        {errorFor('note') && <p class="error">{errorFor('note')}</p>}
      </div>
    </>
  );
}
