import { useState } from 'preact/hooks';
import type { Zone } from '../../domain/zone.ts';
import { ApiError } from '../shell/api.ts';
import { ZoneFields, zoneFieldsError, zoneFieldsPayload, type ZoneFieldsValue } from './ZoneFields.tsx';
import { editZone } from './zones-api.ts';

/** Name, need and notes of a zone (PATCH); its cells and its step change elsewhere. */
export function ZoneEditForm({ zone, onSaved, onCancel }: { zone: Zone; onSaved(zone: Zone): void; onCancel(): void }) {
  const [fields, setFields] = useState<ZoneFieldsValue>({ name: zone.name, need: zone.need, needDetail: zone.needDetail ?? '', notes: zone.notes ?? '' });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const save = async () => {
    const missing = fields.name.trim() ? zoneFieldsError(fields) : 'Donnez un nom à la zone.';
    if (missing) return setError(missing);
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await editZone(zone.id, zoneFieldsPayload(fields)));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
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
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          Enregistrer
        </button>
        <button type="button" onClick={onCancel}>
          Annuler
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
