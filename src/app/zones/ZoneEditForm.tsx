import { useState } from 'preact/hooks';
import { ZONE_NEED_LABELS, ZONE_NEEDS, type Zone, type ZoneNeed } from '../../domain/zone.ts';
import { ApiError } from '../shell/api.ts';
import { editZone } from './zones-api.ts';

/** Name, need and notes of a zone (PATCH); its cells and its step change elsewhere. */
export function ZoneEditForm({ zone, onSaved, onCancel }: { zone: Zone; onSaved(zone: Zone): void; onCancel(): void }) {
  const [name, setName] = useState(zone.name);
  const [need, setNeed] = useState<ZoneNeed>(zone.need);
  const [needDetail, setNeedDetail] = useState(zone.needDetail ?? '');
  const [notes, setNotes] = useState(zone.notes ?? '');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = (field: string) => `zone-${field}-${zone.id}`;

  const save = async () => {
    if (!name.trim()) return setError('Donnez un nom à la zone.');
    if (need === 'autre' && !needDetail.trim()) return setError('Précisez le besoin.');
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await editZone(zone.id, { name: name.trim(), need, ...(need === 'autre' && { needDetail: needDetail.trim() }), notes: notes.trim() }));
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
      <div class="field">
        <label for={id('name')}>Nom de la zone</label>
        <input id={id('name')} type="text" maxLength={120} value={name} onInput={(event) => setName(event.currentTarget.value)} />
      </div>
      <div class="field">
        <label for={id('need')}>Besoin</label>
        <select id={id('need')} value={need} onChange={(event) => setNeed(event.currentTarget.value as ZoneNeed)}>
          {ZONE_NEEDS.map((key) => (
            <option key={key} value={key}>
              {ZONE_NEED_LABELS[key]}
            </option>
          ))}
        </select>
      </div>
      {need === 'autre' && (
        <div class="field">
          <label for={id('detail')}>Quel besoin ?</label>
          <input id={id('detail')} type="text" maxLength={200} value={needDetail} onInput={(event) => setNeedDetail(event.currentTarget.value)} />
        </div>
      )}
      <div class="field">
        <label for={id('notes')}>Notes</label>
        <textarea id={id('notes')} rows={3} maxLength={2000} value={notes} onInput={(event) => setNotes(event.currentTarget.value)} />
      </div>
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
