import { useRef, useState } from 'preact/hooks';
import * as v from 'valibot';
import { ZoneDraftSchema, type Zone } from '../../domain/zone.ts';
import { ApiError } from '../shell/api.ts';
import { EMPTY_ZONE_FIELDS, ZoneFields, zoneFieldsError, zoneFieldsPayload } from '../zones/ZoneFields.tsx';
import { createZone } from '../zones/zones-api.ts';

export interface ZoneFormProps {
  cells: string[];
  onCreated(zone: Zone): void;
  onCancel(): void;
}

/** « Créer une zone » from the selected cells: name, need (with its detail for « Autre »), notes. */
export function ZoneForm({ cells, onCreated, onCancel }: ZoneFormProps) {
  const [fields, setFields] = useState(EMPTY_ZONE_FIELDS);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // A second submit before the disabled button is drawn must not file the zone twice.
  const sending = useRef(false);

  const submit = async () => {
    if (sending.current) return;
    const missing = zoneFieldsError(fields);
    if (missing) return setError(missing);
    const { notes, ...payload } = zoneFieldsPayload(fields);
    const parsed = v.safeParse(ZoneDraftSchema, { ...payload, cells, ...(notes && { notes }) });
    if (!parsed.success) return setError(parsed.issues[0].message);
    sending.current = true;
    setBusy(true);
    setError(undefined);
    try {
      onCreated(await createZone(parsed.output));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };

  return (
    <form
      class="zone-form"
      aria-label="Créer une zone"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <ZoneFields idPrefix="zone" value={fields} onChange={setFields} namePlaceholder="ex. Vallée du Verdus" />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Création…' : `Créer la zone (${cells.length} maille${cells.length > 1 ? 's' : ''})`}
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
