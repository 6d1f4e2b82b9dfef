import { useState } from 'preact/hooks';
import * as v from 'valibot';
import { ZoneDraftSchema, type Zone } from '../../domain/zone.ts';
import { ApiErrorMessage } from '../shell/ApiErrorMessage.tsx';
import { FormActions } from '../shell/FormActions.tsx';
import { useAction } from '../shell/use-action.ts';
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
  // A second submit before the disabled button is drawn must not file the zone twice: useAction runs one at a time.
  const creating = useAction();

  const submit = async () => {
    if (creating.busy) return;
    const missing = zoneFieldsError(fields);
    if (missing) return creating.refuse(missing);
    const { notes, ...payload } = zoneFieldsPayload(fields);
    const parsed = v.safeParse(ZoneDraftSchema, { ...payload, cells, ...(notes && { notes }) });
    if (!parsed.success) return creating.refuse(parsed.issues[0].message);
    await creating.run(async () => onCreated(await createZone(parsed.output)));
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
      <FormActions
        submitLabel={`Créer la zone (${cells.length} maille${cells.length > 1 ? 's' : ''})`}
        busyLabel="Création…"
        busy={creating.busy}
        onCancel={onCancel}
      />
      <ApiErrorMessage error={creating.error} />
    </form>
  );
}
