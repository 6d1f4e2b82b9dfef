import { useState } from 'preact/hooks';
import type { ZoneAnswer } from '../../domain/api/index.ts';
import { ApiErrorMessage } from '../shell/ApiErrorMessage.tsx';
import { FormActions } from '../shell/FormActions.tsx';
import { useAction } from '../shell/use-action.ts';
import { ZoneFields, zoneFieldsError, zoneFieldsPayload, type ZoneFieldsValue } from './ZoneFields.tsx';
import { editZone } from './zones-api.ts';

/** Name, need and notes of a zone (PATCH); its cells and its step change elsewhere. */
export function ZoneEditForm({ zone, onSaved, onCancel }: { zone: ZoneAnswer; onSaved(zone: ZoneAnswer): void; onCancel(): void }) {
  const [fields, setFields] = useState<ZoneFieldsValue>({ name: zone.name, need: zone.need, needDetail: zone.needDetail ?? '', notes: zone.notes ?? '' });
  const saving = useAction();

  const save = async () => {
    const missing = fields.name.trim() ? zoneFieldsError(fields) : 'Donnez un nom à la zone.';
    if (missing) return saving.refuse(missing);
    await saving.run(async () => onSaved(await editZone(zone.id, zoneFieldsPayload(fields))));
  };

  return (
    <form
      class="zone-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <ZoneFields idPrefix={`zone-${zone.id}`} value={fields} onChange={setFields} />
      <FormActions submitLabel="Enregistrer" busy={saving.busy} onCancel={onCancel} />
      <ApiErrorMessage error={saving.error} />
    </form>
  );
}
