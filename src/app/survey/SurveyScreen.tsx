import { useState } from 'preact/hooks';
import { ACCURACY_WARNING_M, validateReading, type FieldError } from '../../domain/reading.ts';
import { readingLevel, LEVEL_LABELS } from '../../domain/level.ts';
import { saveReading } from '../evidence/save-reading.ts';
import { sessionState } from '../shell/session-state.ts';
import { buildReading } from './build-reading.ts';
import { newUuid } from './new-uuid.ts';
import { PositionPanel } from './PositionPanel.tsx';
import { ReadingFields } from './ReadingFields.tsx';
import { choicesForNextReading, loadChoices, saveChoices, type SurveyChoices } from './survey-choices.ts';
import { useGeolocation } from './use-geolocation.ts';

type SaveState = { kind: 'idle' } | { kind: 'confirm-accuracy'; accuracyM: number } | { kind: 'saved'; message: string } | { kind: 'failed'; message: string };

export function SurveyScreen() {
  const geolocation = useGeolocation();
  const [choices, setChoices] = useState<SurveyChoices>(loadChoices);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'idle' });
  const [saving, setSaving] = useState(false);

  const update = (patch: Partial<SurveyChoices>) => {
    const next = { ...choices, ...patch };
    setChoices(next);
    saveChoices(next);
    setErrors((current) => current.filter((error) => !Object.keys(patch).some((key) => error.field === key || (key === 'signalMode' && error.field.startsWith('signal')))));
    if (saveState.kind !== 'idle') setSaveState({ kind: 'idle' });
  };

  const fix = geolocation.status === 'ok' ? geolocation.fix : undefined;

  const save = async (accuracyConfirmed: boolean) => {
    if (!fix || saving) return;
    const candidate = buildReading(newUuid(), choices, fix, new Date());
    const validation = validateReading(candidate);
    if (!validation.ok) {
      setErrors(validation.errors);
      setSaveState({ kind: 'failed', message: 'Le relevé n’est pas complet : corrigez les champs signalés.' });
      return;
    }
    if (fix.accuracyM > ACCURACY_WARNING_M && !accuracyConfirmed) {
      setSaveState({ kind: 'confirm-accuracy', accuracyM: fix.accuracyM });
      return;
    }
    setSaving(true);
    try {
      // IndexedDB first: nothing else may happen before the reading is safe on the device.
      // Attributed to whoever is signed in on the device, even offline or after expiry: only
      // their session will send it (the server attributes it again, from that session).
      await saveReading(validation.reading, sessionState.get().session?.info.user.id);
      setErrors([]);
      const next = choicesForNextReading(choices);
      setChoices(next);
      saveChoices(next);
      setSaveState({ kind: 'saved', message: `Relevé enregistré sur l’appareil (${LEVEL_LABELS[readingLevel(validation.reading)].toLowerCase()}).` });
    } catch (error) {
      setSaveState({ kind: 'failed', message: `Le relevé n’a pas pu être enregistré sur l’appareil : ${String(error)}` });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="screen" aria-labelledby="survey-title">
      <h2 id="survey-title">Nouveau relevé</h2>
      <PositionPanel state={geolocation} />
      <form
        class="reading-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save(false);
        }}
      >
        <ReadingFields choices={choices} onChange={update} errors={errors} idPrefix="survey" />
        {saveState.kind === 'confirm-accuracy' && (
          <div class="confirm" role="alertdialog" aria-labelledby="accuracy-warning">
            <p id="accuracy-warning">
              La position est imprécise (± {Math.round(saveState.accuracyM)} m, au-delà de {ACCURACY_WARNING_M} m). Le relevé pèsera moins comme preuve.
            </p>
            <div class="actions">
              <button type="button" class="primary" onClick={() => void save(true)}>
                Enregistrer quand même
              </button>
              <button type="button" onClick={() => setSaveState({ kind: 'idle' })}>
                Attendre une meilleure position
              </button>
            </div>
          </div>
        )}
        <button type="submit" class="primary big" disabled={!fix || saving}>
          Enregistrer le relevé
        </button>
        {!fix && <p class="hint">L’enregistrement sera possible dès que la position sera connue.</p>}
        <p class={`save-status ${saveState.kind}`} role="status">
          {saveState.kind === 'saved' || saveState.kind === 'failed' ? saveState.message : ''}
        </p>
      </form>
    </section>
  );
}
