import type { DossierAnswer } from '../../domain/api/index.ts';

/**
 * The dossier's contestation of the operators' own maps: per operator with a loaded map, one
 * sentence (« carte de l’opérateur : bonne couverture sur N mailles ; mesures : … », with the
 * edition cited), written by the server (src/domain/grid/declared-contestation.ts).
 */
export function DeclaredCoverageSection({ entries }: { entries: DossierAnswer['declaredCoverage'] }) {
  return (
    <>
      <h3>Cartes des opérateurs</h3>
      {entries.length === 0 ? (
        <p>Aucune carte de couverture déclarée n’est chargée pour ce département (npm run data -- import declared-coverage).</p>
      ) : (
        <ul class="declared-coverage">
          {entries.map((entry) => (
            <li key={entry.operator} class={entry.discrepantCells > 0 ? 'declared-discrepancy' : undefined}>
              <strong>{entry.label}</strong> — {entry.sentence}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
