import { ZONE_NEED_LABELS, ZONE_NEEDS, type ZoneNeed } from '../../domain/zone.ts';

/** What a reviewer types about a zone, in creation and in edition alike. */
export interface ZoneFieldsValue {
  name: string;
  need: ZoneNeed;
  needDetail: string;
  notes: string;
}

export const EMPTY_ZONE_FIELDS: ZoneFieldsValue = { name: '', need: 'habitations', needDetail: '', notes: '' };

/** The check the schema cannot make alone: « Autre » needs to say which need. */
export function zoneFieldsError(value: ZoneFieldsValue): string | undefined {
  return value.need === 'autre' && !value.needDetail.trim() ? 'Précisez le besoin.' : undefined;
}

/** The fields as the API takes them: trimmed, the detail only for « Autre ». */
export function zoneFieldsPayload(value: ZoneFieldsValue) {
  return {
    name: value.name.trim(),
    need: value.need,
    ...(value.need === 'autre' && { needDetail: value.needDetail.trim() }),
    notes: value.notes.trim(),
  };
}

export interface ZoneFieldsProps {
  /** Makes the fields' ids unique on a page that shows several forms. */
  idPrefix: string;
  value: ZoneFieldsValue;
  onChange(value: ZoneFieldsValue): void;
  namePlaceholder?: string;
}

export function ZoneFields({ idPrefix, value, onChange, namePlaceholder }: ZoneFieldsProps) {
  const id = (field: string) => `${idPrefix}-${field}`;
  const set = (patch: Partial<ZoneFieldsValue>) => onChange({ ...value, ...patch });
  return (
    <>
      <div class="field">
        <label for={id('name')}>Nom de la zone</label>
        <input
          id={id('name')}
          type="text"
          maxLength={120}
          value={value.name}
          placeholder={namePlaceholder}
          onInput={(event) => set({ name: event.currentTarget.value })}
        />
      </div>
      <div class="field">
        <label for={id('need')}>Besoin</label>
        <select id={id('need')} value={value.need} onChange={(event) => set({ need: event.currentTarget.value as ZoneNeed })}>
          {ZONE_NEEDS.map((key) => (
            <option key={key} value={key}>
              {ZONE_NEED_LABELS[key]}
            </option>
          ))}
        </select>
      </div>
      {value.need === 'autre' && (
        <div class="field">
          <label for={id('detail')}>Quel besoin ?</label>
          <input id={id('detail')} type="text" maxLength={200} value={value.needDetail} onInput={(event) => set({ needDetail: event.currentTarget.value })} />
        </div>
      )}
      <div class="field">
        <label for={id('notes')}>Notes</label>
        <textarea id={id('notes')} rows={3} maxLength={2000} value={value.notes} onInput={(event) => set({ notes: event.currentTarget.value })} />
      </div>
    </>
  );
}
