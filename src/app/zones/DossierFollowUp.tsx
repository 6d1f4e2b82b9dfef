import { LEVEL_LABELS, type Level } from '../../domain/level.ts';
import { OPERATOR_LABELS } from '../../domain/operators.ts';
import { frenchDay } from '../../domain/zone-follow-up.ts';
import type { Dossier } from './dossier-types.ts';

/**
 * What the dossier puts beside the measurements (issue 18): the people living in the zone
 * (INSEE's grid), the points of interest to cover, and after the arrêté its countdown and the
 * measurements before and after it, per operator.
 */

export function DossierPeople({ dossier }: { dossier: Dossier }) {
  const points = dossier.zone.pointsOfInterest;
  return (
    <section class="dossier-people" aria-label="Personnes concernées">
      <h3>Personnes concernées</h3>
      <p>{dossier.peopleStatement}</p>
      {points.length > 0 && (
        <>
          <h3>Points d’intérêt à couvrir</h3>
          <ul class="dossier-points">
            {points.map((point) => (
              <li key={`${point.name}-${point.lat}-${point.lon}`}>
                {point.name}
                {point.kind ? ` (${point.kind})` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

const verdictText = (verdict: string) => (verdict === 'insufficient' ? 'Mesures insuffisantes' : (LEVEL_LABELS[verdict as Level] ?? verdict));

export function DossierAfterArrete({ dossier }: { dossier: Dossier }) {
  const { followUp } = dossier.zone;
  if (!followUp.arreteDate) return null;
  const { beforeAfter } = dossier;
  return (
    <section class="dossier-after" aria-label="Après l’arrêté">
      <h3>Après l’arrêté</h3>
      <p>
        Arrêté du {frenchDay(followUp.arreteDate)}
        {followUp.arreteReference ? ` (${followUp.arreteReference})` : ''}
        {followUp.leaderOperator ? ` · opérateur leader : ${OPERATOR_LABELS[followUp.leaderOperator]}` : ''}
        {followUp.servicedPlot ? ' · terrain viabilisé fourni par la commune (12 mois)' : ''}
      </p>
      {dossier.deadlineText && <p class="zone-countdown">{dossier.deadlineText.replace(/^./, (c) => c.toUpperCase())}</p>}
      {beforeAfter && (
        <>
          <table class="stats-table" aria-label="Avant et après l’arrêté">
            <thead>
              <tr>
                <th scope="col">Opérateur</th>
                <th scope="col">Avant l’arrêté</th>
                <th scope="col">{beforeAfter.campaign ? `Après (campagne du ${frenchDay(beforeAfter.campaign.startsOn)})` : 'Après'}</th>
              </tr>
            </thead>
            <tbody>
              {beforeAfter.operators.map((row) => (
                <tr key={row.operator}>
                  <th scope="row">{row.label}</th>
                  <td>
                    {verdictText(row.before.verdict)} · {row.before.readings} relevé{row.before.readings > 1 ? 's' : ''}
                  </td>
                  <td>{row.after ? `${verdictText(row.after.verdict)} · ${row.after.readings} relevé${row.after.readings > 1 ? 's' : ''}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class={beforeAfter.coveredByMeasurement ? 'dossier-conclusion covered' : 'dossier-conclusion'}>{beforeAfter.conclusion}</p>
        </>
      )}
    </section>
  );
}
