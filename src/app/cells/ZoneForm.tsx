import { useState } from 'preact/hooks';
import * as v from 'valibot';
import { ZONE_NEED_LABELS, ZONE_NEEDS, ZoneDraftSchema, type Zone, type ZoneNeed } from '../../domain/zone.ts';
import { ApiError } from '../shell/api.ts';
import { createZone } from '../zones/zones-api.ts';

export interface ZoneFormProps {
  cells: string[];
  onCreated(zone: Zone): void;
  onCancel(): void;
}

/** « Créer une zone » from the selected cells: name, need (with its detail for « Autre »), notes. */
export function ZoneForm({ cells, onCreated, onCancel }: ZoneFormProps) {
  const [name, setName] = useState('');
  const [need, setNeed] = useState<ZoneNeed>('habitations');
  const [needDetail, setNeedDetail] = useState('');
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (need === 'autre' && !needDetail.trim()) return setError('Précisez le besoin.');
    const parsed = v.safeParse(ZoneDraftSchema, {
      name,
      cells,
      need,
      ...(need === 'autre' && { needDetail: needDetail.trim() }),
      ...(notes.trim() && { notes: notes.trim() }),
    });
    if (!parsed.success) return setError(parsed.issues[0].message);
    setBusy(true);
    setError(undefined);
    try {
      onCreated(await createZone(parsed.output));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    } finally {
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
      <div class="field">
        <label for="zone-name">Nom de la zone</label>
        <input id="zone-name" type="text" maxLength={120} value={name} placeholder="ex. Vallée du Verdus" onInput={(event) => setName(event.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="zone-need">Besoin</label>
        <select id="zone-need" value={need} onChange={(event) => setNeed(event.currentTarget.value as ZoneNeed)}>
          {ZONE_NEEDS.map((key) => (
            <option key={key} value={key}>
              {ZONE_NEED_LABELS[key]}
            </option>
          ))}
        </select>
      </div>
      {need === 'autre' && (
        <div class="field">
          <label for="zone-need-detail">Quel besoin ?</label>
          <input id="zone-need-detail" type="text" maxLength={200} value={needDetail} onInput={(event) => setNeedDetail(event.currentTarget.value)} />
        </div>
      )}
      <div class="field">
        <label for="zone-notes">Notes</label>
        <textarea id="zone-notes" rows={3} maxLength={2000} value={notes} onInput={(event) => setNotes(event.currentTarget.value)} />
      </div>
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
