import { useState } from 'preact/hooks';
import type { SessionInfo } from '../../domain/account.ts';
import { DepartementSummaryAnswerSchema, type DepartementSummaryAnswer } from '../../domain/api/index.ts';
import { CAMPAIGN_STAGE_LABELS } from '../../domain/departement-summary.ts';
import { OPERATOR_LABELS, OPERATORS, type Operator } from '../../domain/operators.ts';
import { PROBLEM_LABELS } from '../../domain/report.ts';
import { frenchDay } from '../../domain/zone-follow-up.ts';
import { ZONE_STATUS_LABELS, ZONE_STATUSES } from '../../domain/zone.ts';
import { formatDate } from '../cells/labels.ts';
import { ApiErrorMessage } from '../shell/ApiErrorMessage.tsx';
import { formatRoute } from '../shell/routes.ts';
import { useApi } from '../shell/use-api.ts';
import { useTitle } from '../shell/use-title.ts';

type Summary = DepartementSummaryAnswer;

/** The map zoomed on a report: the reviewer sees it there, exact, with the cells around. */
const REPORT_ZOOM = 17;

const summaryUrl = (departement: string) => `/api/v1/departements/${encodeURIComponent(departement)}/summary`;

/**
 * The équipe projet's table: what a reviewer brings to the meeting, on screen and printed on
 * A4 (print CSS in styles.css, « Tableau de bord »), and as CSV. A reviewer sees their
 * département's; an admin picks one. Every line opens its zone's dossier, its report on the
 * map or its campaign.
 */
export function DepartementSummaryScreen({ user }: { user: SessionInfo['user'] }) {
  useTitle('Tableau de bord');
  const [chosen, setChosen] = useState(user.departement ?? '');
  const departement = user.departement ?? chosen;
  const { data, error, reload } = useApi(departement ? summaryUrl(departement) : null, DepartementSummaryAnswerSchema);

  return (
    <section class="screen summary-screen" aria-labelledby="summary-title">
      <div class="actions no-print">
        <button type="button" class="primary" onClick={() => window.print()} disabled={!data}>
          Imprimer
        </button>
        {data && (
          <>
            <a class="button-link" href={`${summaryUrl(data.departement)}.csv`} download>
              Tableau (CSV)
            </a>
            <a class="button-link" href={`${summaryUrl(data.departement)}.csv?format=tableur`} download>
              Tableau (CSV pour tableur)
            </a>
          </>
        )}
      </div>
      {!user.departement && <DepartementPicker value={chosen} onChoose={setChosen} />}
      <ApiErrorMessage error={error} onRetry={reload} />
      {departement && !data && !error && <p>Chargement du tableau…</p>}
      {data && <SummarySheet summary={data} />}
    </section>
  );
}

/** An admin has no département of their own: they type the one to look at. */
function DepartementPicker({ value, onChoose }: { value: string; onChoose: (code: string) => void }) {
  const [text, setText] = useState(value);
  return (
    <form
      class="summary-picker no-print"
      onSubmit={(event) => {
        event.preventDefault();
        onChoose(text.trim().toUpperCase());
      }}
    >
      <label for="summary-departement">Département (code)</label>
      <input id="summary-departement" value={text} onInput={(event) => setText(event.currentTarget.value)} inputMode="text" autoComplete="off" size={4} />
      <button type="submit">Afficher</button>
    </form>
  );
}

function SummarySheet({ summary }: { summary: Summary }) {
  const name = summary.departementName ? `${summary.departementName} (${summary.departement})` : summary.departement;
  return (
    <article class="summary-sheet">
      <header>
        <p class="dossier-kicker">New Deal Mobile · équipe projet</p>
        <h2 id="summary-title">Tableau de bord · {name}</h2>
        <p>Au {frenchDay(summary.today)}</p>
      </header>
      <ZonesSection summary={summary} />
      <DeadlinesSection summary={summary} />
      <QuotaSection summary={summary} />
      <ReportsSection summary={summary} />
      <CampaignsSection summary={summary} />
    </article>
  );
}

const count = (value: number) => Math.round(value).toLocaleString('fr-FR');
const plural = (n: number, one: string, many: string) => `${count(n)} ${n > 1 ? many : one}`;

function discrepancyText(discrepancies: Partial<Record<Operator, number>>): string {
  const parts = OPERATORS.flatMap((operator) => {
    const cells = discrepancies[operator];
    return cells ? [`${OPERATOR_LABELS[operator]} : ${plural(cells, 'maille', 'mailles')}`] : [];
  });
  return parts.length > 0 ? parts.join(', ') : '—';
}

function monthsText(months: number): string {
  if (months < 0) return `en retard de ${-months} mois`;
  return months === 0 ? 'ce mois-ci' : `dans ${months} mois`;
}

function ZonesSection({ summary }: { summary: Summary }) {
  return (
    <section class="summary-block" aria-labelledby="summary-zones">
      <h3 id="summary-zones">Zones par étape</h3>
      <ul class="summary-counts">
        {ZONE_STATUSES.map((status) => (
          <li key={status}>
            <span class={`state zone-status zone-status-${status}`}>{ZONE_STATUS_LABELS[status]}</span> <strong>{summary.byStatus[status]}</strong>
          </li>
        ))}
      </ul>
      {summary.zones.length === 0 ? (
        <p>Aucune zone dans ce département.</p>
      ) : (
        <div class="summary-scroll">
          <table class="summary-table">
            <thead>
              <tr>
                <th scope="col">Zone</th>
                <th scope="col">Étape</th>
                <th scope="col" class="number">
                  Mailles
                </th>
                <th scope="col" class="number">
                  Habitants
                </th>
                <th scope="col" class="number">
                  Ménages
                </th>
                <th scope="col">Écarts avec les cartes des opérateurs</th>
                <th scope="col">Échéance</th>
              </tr>
            </thead>
            <tbody>
              {summary.zones.map((zone) => (
                <tr key={zone.id}>
                  <th scope="row">
                    <a href={formatRoute({ name: 'dossier', zoneId: zone.id })}>{zone.name}</a>
                  </th>
                  <td>{ZONE_STATUS_LABELS[zone.status]}</td>
                  <td class="number">{zone.cells}</td>
                  <td class="number">{zone.people ? count(zone.people.inhabitants) : '—'}</td>
                  <td class="number">{zone.people ? count(zone.people.households) : '—'}</td>
                  <td>{discrepancyText(zone.discrepancies)}</td>
                  <td>{zone.inServiceDate ? `en service le ${frenchDay(zone.inServiceDate)}` : zone.deadline ? frenchDay(zone.deadline) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DeadlinesSection({ summary }: { summary: Summary }) {
  return (
    <section class="summary-block" aria-labelledby="summary-deadlines">
      <h3 id="summary-deadlines">Échéances des zones arrêtées</h3>
      {summary.deadlines.length === 0 ? (
        <p>Aucune zone n’attend la mise en service de son site.</p>
      ) : (
        <ul class="summary-lines">
          {summary.deadlines.map((line) => (
            <li key={line.zoneId} class={line.overdue ? 'overdue' : undefined}>
              <a href={formatRoute({ name: 'dossier', zoneId: line.zoneId })}>{line.name}</a> : échéance le {frenchDay(line.deadline)},{' '}
              <strong>{monthsText(line.monthsLeft)}</strong>
              {line.leaderOperator && ` · opérateur leader : ${OPERATOR_LABELS[line.leaderOperator]}`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function QuotaSection({ summary }: { summary: Summary }) {
  const { year, proposed, allowed } = summary.quota;
  return (
    <section class="summary-block" aria-labelledby="summary-quota">
      <h3 id="summary-quota">Zones proposées en {year}</h3>
      {allowed === null ? (
        <p>
          <strong>{plural(proposed, 'zone transmise', 'zones transmises')}</strong> cette année (aucun quota fixé pour ce déploiement).
        </p>
      ) : (
        <p>
          <strong>
            {count(proposed)} sur {count(allowed)}
          </strong>{' '}
          zones que l’équipe projet peut proposer cette année
          {proposed < allowed
            ? ` : encore ${plural(allowed - proposed, 'zone', 'zones')}.`
            : proposed === allowed
              ? ' : quota atteint.'
              : ` : quota dépassé de ${count(proposed - allowed)}.`}
          <meter class="summary-meter" min={0} max={allowed} value={Math.min(proposed, allowed)} aria-label={`${proposed} zones proposées sur ${allowed}`} />
        </p>
      )}
    </section>
  );
}

function ReportsSection({ summary }: { summary: Summary }) {
  const { awaiting, latest } = summary.reports;
  return (
    <section class="summary-block" aria-labelledby="summary-reports">
      <h3 id="summary-reports">Signalements à regarder</h3>
      <p>
        <strong>{plural(awaiting, 'signalement', 'signalements')}</strong> d’habitants hors de toute zone
        {awaiting > latest.length ? ` ; les ${latest.length} derniers :` : awaiting > 0 ? ' :' : '.'}
      </p>
      {latest.length > 0 && (
        <ul class="summary-lines">
          {latest.map((report) => (
            <li key={report.id}>
              <a href={formatRoute({ name: 'couverture', query: `view=${REPORT_ZOOM}/${report.lat.toFixed(5)}/${report.lon.toFixed(5)}` })}>
                {PROBLEM_LABELS[report.problem]} ({OPERATOR_LABELS[report.operator]})
              </a>{' '}
              · reçu le {formatDate(report.receivedAt)}
              {report.commune && ` · ${report.communeName ?? 'commune'} (${report.commune})`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function CampaignsSection({ summary }: { summary: Summary }) {
  return (
    <section class="summary-block" aria-labelledby="summary-campaigns">
      <h3 id="summary-campaigns">Campagnes de mesure</h3>
      {summary.campaigns.length === 0 ? (
        <p>Aucune campagne dans ce département.</p>
      ) : (
        <div class="summary-scroll">
          <table class="summary-table">
            <thead>
              <tr>
                <th scope="col">Campagne</th>
                <th scope="col">Commune</th>
                <th scope="col">Période</th>
                <th scope="col">État</th>
                <th scope="col" class="number">
                  Relevés
                </th>
                <th scope="col" class="number">
                  Mailles mesurées
                </th>
                <th scope="col">Dernier relevé</th>
              </tr>
            </thead>
            <tbody>
              {summary.campaigns.map((campaign) => (
                <tr key={campaign.id}>
                  <th scope="row">
                    <a href={formatRoute({ name: 'campagne', id: campaign.id })}>{campaign.name}</a>
                  </th>
                  <td>{campaign.communeName}</td>
                  <td>
                    du {frenchDay(campaign.startsOn)} au {frenchDay(campaign.endsOn)}
                  </td>
                  <td>{CAMPAIGN_STAGE_LABELS[campaign.stage]}</td>
                  <td class="number">{count(campaign.readings)}</td>
                  <td class="number">{count(campaign.cellsMeasured)}</td>
                  <td>{formatDate(campaign.lastReadingAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
