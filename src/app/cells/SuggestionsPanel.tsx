import { useState } from 'preact/hooks';
import type { Zone } from '../../domain/zone.ts';
import { rankSuggestions, SUGGESTION_RANKINGS, type SuggestionRanking } from '../../domain/grid/zone-suggestion.ts';
import { ApiErrorMessage } from '../shell/ApiErrorMessage.tsx';
import { useAction } from '../shell/use-action.ts';
import { createZone } from '../zones/zones-api.ts';
import type { Suggestion } from './api-types.ts';

export interface SuggestionsPanelProps {
  suggestions: Suggestion[] | undefined;
  loading: boolean;
  error: string | undefined;
  /** What to do to get suggestions (zoom in): advice, not an error. */
  hint?: string | undefined;
  onRefresh(): void;
  onShow(suggestion: Suggestion): void;
  onCreated(zone: Zone): void;
}

export function suggestionSummary(s: Suggestion): string {
  const cells = `${s.cells.length} maille${s.cells.length > 1 ? 's' : ''}`;
  const kinds =
    s.blanche !== undefined && s.grise !== undefined ? ` (${s.blanche} blanche${s.blanche > 1 ? 's' : ''}, ${s.grise} grise${s.grise > 1 ? 's' : ''})` : '';
  const people = s.people ? ` · ${Math.round(s.people.inhabitants).toLocaleString('fr-FR')} habitant${Math.round(s.people.inhabitants) > 1 ? 's' : ''}` : '';
  const contested = s.discrepantCells > 0 ? ` · ${s.discrepantCells} en écart avec les cartes des opérateurs` : '';
  return `${cells}${kinds} · ${s.readings} relevé${s.readings > 1 ? 's' : ''} · ${s.contributors} contributeur${s.contributors > 1 ? 's' : ''}${people}${contested}`;
}

/**
 * Connected blanche/grise cells of the view, ranked by evidence (the server's suggestion).
 * « Créer cette zone » makes it a zone at once, named after its rank; the name, need and
 * notes can be changed in « Zones ».
 */
export function SuggestionsPanel({ suggestions, loading, error, hint, onRefresh, onShow, onCreated }: SuggestionsPanelProps) {
  // One creation at a time (a second click before the disabled button is drawn must not file the zone twice); `rank` says which.
  const creating = useAction();
  const [rank, setRank] = useState<number>();
  const busy = creating.busy ? rank : undefined;
  const [ranking, setRanking] = useState<SuggestionRanking>('evidence');
  const ranked = suggestions && rankSuggestions(suggestions, ranking);

  const create = (s: Suggestion, asked: number) =>
    creating.run(async () => {
      setRank(asked);
      const zone = await createZone({
        name: `Zone suggérée n° ${asked} (${s.cells.length} maille${s.cells.length > 1 ? 's' : ''})`,
        cells: s.cells,
        need: 'habitations',
        notes: `Créée depuis les suggestions automatiques : ${suggestionSummary(s)}.`,
      });
      onCreated(zone);
    });

  return (
    <section class="side-section" aria-labelledby="suggestions-title">
      <div class="side-head">
        <h3 id="suggestions-title">Zones suggérées</h3>
        <button type="button" class="link-button" onClick={onRefresh} disabled={loading}>
          {loading ? 'Recherche…' : 'Actualiser'}
        </button>
      </div>
      <p class="hint">
        Mailles blanches ou grises voisines dans la vue, hors zones en cours : les mieux documentées d’abord, ou les plus peuplées (carroyage INSEE).
      </p>
      {hint && (
        <p class="notice" role="status">
          {hint}
        </p>
      )}
      <div class="field">
        <label for="suggestions-ranking">Classer</label>
        <select id="suggestions-ranking" value={ranking} onChange={(event) => setRanking(event.currentTarget.value as SuggestionRanking)}>
          {(Object.keys(SUGGESTION_RANKINGS) as SuggestionRanking[]).map((key) => (
            <option key={key} value={key}>
              {SUGGESTION_RANKINGS[key]}
            </option>
          ))}
        </select>
      </div>
      <ApiErrorMessage error={error} />
      <ApiErrorMessage error={creating.error} />
      {suggestions && suggestions.length === 0 && <p>Aucune zone blanche ou grise dans la vue.</p>}
      {ranked && ranked.length > 0 && (
        <ol class="suggestions" aria-label="Zones suggérées">
          {ranked.map((s, i) => (
            <li key={s.id ?? s.cells[0]}>
              <span>{suggestionSummary(s)}</span>
              <div class="actions">
                <button type="button" onClick={() => onShow(s)}>
                  Voir
                </button>
                <button type="button" class="primary" disabled={busy !== undefined} onClick={() => void create(s, i + 1)}>
                  {busy === i + 1 ? 'Création…' : 'Créer cette zone'}
                </button>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
