import { useState } from 'preact/hooks';
import type { FieldError } from '../../domain/reading.ts';
import { validateReading } from '../../domain/reading-schema.ts';
import { announce } from '../../sync/channel.ts';
import { resubmitReading, type OutboxRecord } from '../../store/outbox.ts';
import { signalFields } from '../survey/build-reading.ts';
import { newUuid } from '../survey/new-uuid.ts';
import { ReadingFields } from '../survey/ReadingFields.tsx';
import { DEFAULT_CHOICES, type SurveyChoices } from '../survey/survey-choices.ts';
import { refreshOutbox } from '../sync/outbox-state.ts';
import { sendNow } from '../sync/sync-scheduler.ts';

function choicesOf({ reading }: OutboxRecord): SurveyChoices {
  return {
    ...DEFAULT_CHOICES,
    operator: reading.operator,
    technology: reading.technology,
    signalMode: reading.signalDbm !== undefined ? 'dbm' : 'bars',
    signalBars: reading.signalBars,
    signalDbm: reading.signalDbm !== undefined ? String(reading.signalDbm) : '',
    setting: reading.setting,
    voice: reading.voice ?? 'not-tested',
    sms: reading.sms ?? 'not-tested',
    note: reading.note ?? '',
  };
}

/** What the agent entered can be corrected; where and when it was measured cannot. */
export function CorrectionForm({ record, onDone }: { record: OutboxRecord; onDone: () => void }) {
  const [choices, setChoices] = useState(() => choicesOf(record));
  const [errors, setErrors] = useState<FieldError[]>([]);

  const submit = async () => {
    const { signalBars: _bars, signalDbm: _dbm, voice: _voice, sms: _sms, note: _note, ...measured } = record.reading;
    const id = record.refusal?.code === 'conflict' ? newUuid() : record.reading.id;
    const validation = validateReading({ ...measured, ...signalFields(choices), id });
    if (!validation.ok) {
      setErrors(validation.errors);
      return;
    }
    await resubmitReading(record.id, validation.reading);
    const changed = [record.id, validation.reading.id];
    announce({ type: 'outbox-changed', ids: changed });
    await refreshOutbox(changed);
    onDone();
    void sendNow();
  };

  return (
    <form
      class="reading-form correction"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <ReadingFields choices={choices} onChange={(patch) => setChoices({ ...choices, ...patch })} errors={errors} idPrefix={`fix-${record.id}`} />
      <div class="actions">
        <button type="submit" class="primary">
          Renvoyer le relevé corrigé
        </button>
        <button type="button" onClick={onDone}>
          Annuler
        </button>
      </div>
    </form>
  );
}
