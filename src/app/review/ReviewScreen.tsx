import { useEffect, useState } from 'preact/hooks';
import { OPERATOR_LABELS } from '../../domain/operators.ts';
import { PROBLEM_LABELS } from '../../domain/report.ts';
import { formatTime } from '../format.ts';
import { api } from '../shell/api.ts';
import { sessionState } from '../shell/session-state.ts';
import { useStore } from '../shell/tiny-store.ts';
import { FormActions } from '../shell/FormActions.tsx';
import { useAction } from '../shell/use-action.ts';
import { useApi } from '../shell/use-api.ts';
import { ApiErrorMessage } from '../shell/ApiErrorMessage.tsx';
import type { SessionInfo } from '../../domain/account.ts';
import { FullReportFeatureSchema, ReportsAnswerSchema, type FullReportProperties, type ReportsAnswer } from '../../domain/api/reports.ts';
import { useTitle } from '../shell/use-title.ts';
import { cellAt } from '../../domain/grid/cell-id.ts';
import { cellCentre } from '../../domain/grid/cell-geometry.ts';
import { formatCoverageHash } from '../cells/coverage-filters.ts';
import { useCommuneNames } from './commune-names.ts';

/** A report as its département's reviewers (and admins) see it: exact, with the note (the contract's full report). */
export type ReviewedReport = FullReportProperties;

const SETTING_LABELS = { outdoor: 'dehors', indoor: 'à l’intérieur' } as const;
const PAGE = 200;

function isReviewed(properties: ReportsAnswer['features'][number]['properties']): properties is ReviewedReport {
  return 'hidden' in properties && 'receivedAt' in properties;
}

/**
 * « Signalements »: residents' reports in the reviewer's département (every one for an
 * admin), newest first; a spam report can be hidden with a reason (audit-logged server-side).
 */
export function ReviewScreen() {
  useTitle('Signalements des habitants');
  const { session } = useStore(sessionState);
  const user = session?.info.user;
  // The page asked for: the newest (« Actualiser ») or the one after a cursor (« plus anciens »).
  // One request at a time: asking for one aborts the other, so a late page never lands on a fresh list.
  const [after, setAfter] = useState<string>();
  const page = useApi(`/api/v1/reports?limit=${PAGE}${after ? `&cursor=${encodeURIComponent(after)}` : ''}`, ReportsAnswerSchema);
  const [reports, setReports] = useState<ReviewedReport[]>();
  const [cursor, setCursor] = useState<string>();

  useEffect(() => {
    if (!page.data) return;
    const mine = reviewedOf(page.data, user);
    setReports((previous) => (after ? [...(previous ?? []), ...mine] : mine));
    setCursor(page.data.nextCursor);
  }, [page.data]);

  const refresh = () => (after ? setAfter(undefined) : page.reload());
  const replace = (updated: ReviewedReport) => setReports((list) => list?.map((report) => (report.id === updated.id ? updated : report)));
  const sorted = [...(reports ?? [])].sort((a, b) => Date.parse(b.reportedAt) - Date.parse(a.reportedAt));
  const communeNames = useCommuneNames(sorted.flatMap((report) => (report.commune ? [report.commune] : [])));

  return (
    <section class="screen" aria-labelledby="review-title">
      <h2 id="review-title">Signalements des habitants{user?.departement ? ` (département ${user.departement})` : ''}</h2>
      <p class="hint">Positions exactes : ne les diffusez pas. Un signalement masqué ne compte plus nulle part.</p>
      <div class="actions">
        <button type="button" onClick={refresh} disabled={page.loading && !after}>
          {page.loading && !after ? 'Chargement…' : 'Actualiser'}
        </button>
      </div>
      <ApiErrorMessage error={page.error} onRetry={page.reload} />
      {reports && reports.length === 0 && <p>Aucun signalement pour l’instant.</p>}
      <ul class="readings" aria-label="Signalements">
        {sorted.map((report) => (
          <ReviewItem key={report.id} report={report} communeName={report.commune ? communeNames.get(report.commune) : undefined} onChange={replace} />
        ))}
      </ul>
      {cursor && (
        <button type="button" onClick={() => setAfter(cursor)} disabled={page.loading}>
          Signalements plus anciens
        </button>
      )}
    </section>
  );
}

/** The page's reports the user reviews: the département's (every one for an admin). */
function reviewedOf(page: ReportsAnswer, user: SessionInfo['user'] | undefined): ReviewedReport[] {
  return page.features
    .flatMap(({ properties }): ReviewedReport[] => (isReviewed(properties) ? [properties] : []))
    .filter((report) => user?.role === 'admin' || report.departement === user?.departement);
}

/** « Couverture » centred on the report's 200 m cell, close enough to see its cells, with every filter off. */
export function coverageHashAt({ lat, lon }: { lat: number; lon: number }): string {
  const cell = cellAt(lon, lat);
  const [centreLon, centreLat] = cell ? cellCentre(cell) : [lon, lat];
  return formatCoverageHash({ filters: { operators: [] }, view: { zoom: 16, lat: centreLat, lon: centreLon } });
}

function ReviewItem({
  report,
  communeName,
  onChange,
}: {
  report: ReviewedReport;
  communeName: string | undefined;
  onChange: (report: ReviewedReport) => void;
}) {
  const [hiding, setHiding] = useState(false);
  const [reason, setReason] = useState('');
  const { run, busy, error, refuse } = useAction();

  const setHidden = async (hidden: boolean) => {
    if (hidden && !reason.trim()) return refuse('Indiquez pourquoi vous masquez ce signalement.');
    await run(async () => {
      const updated = await api(`/api/v1/reports/${encodeURIComponent(report.id)}`, FullReportFeatureSchema, {
        method: 'PATCH',
        body: { hidden, reason: hidden ? reason.trim() : '' },
      });
      onChange(updated.properties);
      setHiding(false);
      setReason('');
    });
  };

  return (
    <li class={`reading report-item ${report.hidden ? 'hidden-report' : ''}`} data-hidden={String(report.hidden)}>
      <div class="reading-head">
        <span class="reading-what">
          {report.commune ? (communeName ? `${communeName} (${report.commune})` : `Commune ${report.commune}`) : 'Commune non déterminée'} ·{' '}
          {PROBLEM_LABELS[report.problem]} · {OPERATOR_LABELS[report.operator]}
        </span>
        {report.hidden && <span class="state state-refused">Masqué</span>}
      </div>
      <p class="reading-meta">
        {formatTime(report.reportedAt)} · {SETTING_LABELS[report.setting]} · {report.lat.toFixed(5)}, {report.lon.toFixed(5)}
        {report.accuracyM !== undefined && ` (± ${Math.round(report.accuracyM)} m, ${report.positionSource === 'map' ? 'point sur la carte' : 'GPS'})`}
        {report.repeats > 0 &&
          ` · ${report.repeats} signalement${report.repeats > 1 ? 's' : ''} semblable${report.repeats > 1 ? 's' : ''} regroupé${report.repeats > 1 ? 's' : ''}`}
      </p>
      {report.note && <p class="reading-meta">« {report.note} »</p>}
      <p class="reading-meta">
        <a href={coverageHashAt(report)}>Voir sur la carte de couverture</a>
      </p>
      {report.hidden && report.hiddenReason && <p class="reading-meta">Raison du masquage : {report.hiddenReason}</p>}
      {hiding ? (
        <form
          class="hide-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void setHidden(true);
          }}
        >
          <div class="field">
            <label for={`reason-${report.id}`}>Raison du masquage</label>
            <input
              id={`reason-${report.id}`}
              type="text"
              maxLength={300}
              value={reason}
              placeholder="ex. texte publicitaire"
              onInput={(event) => setReason(event.currentTarget.value)}
            />
          </div>
          <FormActions submitLabel="Confirmer le masquage" tone="danger" busy={busy} onCancel={() => setHiding(false)} />
        </form>
      ) : (
        <div class="actions">
          {report.hidden ? (
            <button type="button" onClick={() => void setHidden(false)} disabled={busy}>
              Rétablir
            </button>
          ) : (
            <button type="button" class="danger" onClick={() => setHiding(true)}>
              Masquer (spam)
            </button>
          )}
        </div>
      )}
      <ApiErrorMessage error={error} />
    </li>
  );
}
