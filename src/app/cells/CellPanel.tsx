import { useMemo } from 'preact/hooks';
import { ReadingsAnswerSchema } from '../../domain/api/index.ts';
import { CELL_ZONE_LABELS } from '../../domain/grid/cell-verdict.ts';
import { LEVEL_LABELS, LEVELS } from '../../domain/level.ts';
import { OPERATOR_LABELS, OPERATORS } from '../../domain/operators.ts';
import { SETTING_LABELS, VOICE_LABELS } from '../../domain/reading.ts';
import { TECHNOLOGY_LABELS } from '../../domain/signal.ts';
import { formatTime } from '../format.ts';
import { ApiErrorMessage } from '../shell/ApiErrorMessage.tsx';
import { useApi } from '../shell/use-api.ts';
import { cellIdOf, type CellFeature, type OperatorCellStats } from './api-types.ts';
import { coverageLine, noCoverageLine, protocolLines, protocolTitle } from './figures-text.ts';
import { cellResolution } from './selection.ts';
import { formatResolutionM } from './resolution.ts';
import { percent, VERDICT_LABELS, VERDICTS, verdictLabel } from './labels.ts';

const SHOWN_READINGS = 200;

export interface CellPanelProps {
  feature: CellFeature;
  selectable: boolean;
  selected: boolean;
  onToggle(): void;
  onClose(): void;
}

/** One cell: its verdict, its figures per operator, and the readings behind them. */
export function CellPanel({ feature, selectable, selected, onToggle, onClose }: CellPanelProps) {
  const id = cellIdOf(feature);
  const p = feature.properties;
  const answer = useApi(`/api/v1/cells/${encodeURIComponent(id)}/readings`, ReadingsAnswerSchema);
  const error = answer.error;
  const readings = useMemo(
    () => answer.data?.features.map((f) => f.properties).sort((a, b) => Date.parse(b.recordedAt) - Date.parse(a.recordedAt)),
    [answer.data],
  );

  const operators = OPERATORS.filter((operator) => p.operators[operator]);
  return (
    <section class="side-section cell-panel" aria-labelledby="cell-title">
      <div class="side-head">
        <h3 id="cell-title">{cellTitle(id, p.commune, p.departement)}</h3>
        <button type="button" class="link-button" onClick={onClose}>
          Fermer
        </button>
      </div>
      <p>
        <span class={`zone-tag zone-${p.zone}`}>{CELL_ZONE_LABELS[p.zone]}</span>
        {p.residentReports > 0 && ` · ${p.residentReports} signalement${p.residentReports > 1 ? 's' : ''} d’habitants`}
      </p>
      {selectable ? (
        <div class="actions">
          <button type="button" onClick={onToggle}>
            {selected ? 'Retirer de la sélection' : 'Ajouter à la sélection'}
          </button>
        </div>
      ) : (
        <p class="hint">Zoomez jusqu’aux mailles de 200 m pour la sélectionner.</p>
      )}
      {operators.length === 0 ? (
        <p>Aucun relevé d’opérateur avec ces filtres.</p>
      ) : (
        <>
          <table class="stats-table" aria-label="Statistiques par opérateur">
            <OperatorHead />
            <tbody>
              {operators.map((operator) => (
                <OperatorRow key={operator} name={OPERATOR_LABELS[operator]} stats={p.operators[operator]!} />
              ))}
            </tbody>
          </table>
          <VerdictKey />
          <OperatorFigures operators={operators.map((operator) => ({ name: OPERATOR_LABELS[operator], stats: p.operators[operator]! }))} />
        </>
      )}
      <h4>Relevés de la maille</h4>
      <ApiErrorMessage error={error} onRetry={answer.reload} />
      {!readings && !error && <p>Chargement des relevés…</p>}
      {readings && readings.length === 0 && <p>Aucun relevé.</p>}
      {readings && readings.length > 0 && (
        // Focusable: it scrolls, and a keyboard must be able to scroll it.
        <ul class="cell-readings" aria-label="Relevés de la maille" tabIndex={0}>
          {readings.slice(0, SHOWN_READINGS).map((r) => (
            <li key={r.id}>
              <span class={`level level-${r.level}`} title={LEVEL_LABELS[r.level]}>
                {r.level}
              </span>{' '}
              {OPERATOR_LABELS[r.operator]} · {TECHNOLOGY_LABELS[r.technology]}
              {r.signalDbm !== undefined ? ` · ${r.signalDbm} dBm` : r.signalBars !== undefined ? ` · ${r.signalBars} barre${r.signalBars > 1 ? 's' : ''}` : ''}
              {r.voice && r.voice !== 'not-tested' ? ` · ${VOICE_LABELS[r.voice]}` : ''} · {SETTING_LABELS[r.setting].toLowerCase()} ·{' '}
              {formatTime(r.recordedAt)}
            </li>
          ))}
          {readings.length > SHOWN_READINGS && <li class="hint">… et {readings.length - SHOWN_READINGS} autres (voir le CSV du dossier).</li>}
        </ul>
      )}
    </section>
  );
}

/**
 * « Saint-Guilhem-le-Désert — maille 200 m n° CRS3035RES200m… »: where it is first, then which;
 * « Hérault (34) — … » where the server has no commune data.
 */
export function cellTitle(id: string, commune: { name: string } | null | undefined, departement?: { code: string; name: string } | null): string {
  const size = cellResolution(id);
  const cell = `maille${size ? ` ${formatResolutionM(size)}` : ''} n° ${id}`;
  const place = commune ? commune.name : departement ? `${departement.name} (${departement.code})` : undefined;
  return place ? `${place} — ${cell}` : `${cell[0]!.toUpperCase()}${cell.slice(1)}`;
}

/** OperatorRow's columns after the operator's name, in order; a phone's cell panel shows each as its row's label. */
const OPERATOR_COLUMNS = ['Verdict', 'Relevés (contrib.)', 'Niveaux TBC / BC / CL / PC', 'Signal médian', 'Appels réussis'] as const;

/** The header of OperatorRow's table (the cell panel, the dossier). */
export function OperatorHead() {
  return (
    <thead>
      <tr>
        <th scope="col">Opérateur</th>
        {OPERATOR_COLUMNS.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** What the verdict badges say, from the one table of labels. */
export function VerdictKey() {
  return (
    <p class="hint verdict-key">
      {VERDICTS.map((verdict) => (
        <span key={verdict}>
          <span class={`level level-${verdict}`}>{VERDICT_LABELS[verdict].short}</span> {VERDICT_LABELS[verdict].name.toLowerCase()}
        </span>
      ))}
    </p>
  );
}

/**
 * Per operator, the proportions behind its verdict with their 95 % intervals, then its
 * conforming tests per protocol (the cell panel, the dossier).
 */
export function OperatorFigures({ operators }: { operators: { name: string; stats: Pick<OperatorCellStats, 'figures'> }[] }) {
  return (
    <dl class="operator-figures" aria-label="Taux et intervalles de confiance par opérateur">
      {operators.map(({ name, stats: { figures } }) => {
        const shares = [coverageLine(figures), noCoverageLine(figures)].filter((line): line is string => line !== null);
        return (
          <div key={name}>
            <dt>{name}</dt>
            {shares.map((line) => (
              <dd key={line}>{line}</dd>
            ))}
            {figures.protocols.map((protocol) => (
              <dd key={protocol.protocol}>
                {protocolTitle(protocol)} :
                <ul>
                  {protocolLines(protocol).map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              </dd>
            ))}
            {figures.protocols.length === 0 && <dd class="hint">aucun test guidé conforme (appel tenu, SMS, données)</dd>}
          </div>
        );
      })}
    </dl>
  );
}

export function OperatorRow({ name, stats }: { name: string; stats: OperatorCellStats }) {
  return (
    <tr>
      <th scope="row">{name}</th>
      <td data-label={OPERATOR_COLUMNS[0]}>
        <span class={`level level-${stats.verdict}`} title={verdictLabel(stats.verdict)}>
          {VERDICT_LABELS[stats.verdict].short}
        </span>
      </td>
      <td data-label={OPERATOR_COLUMNS[1]}>
        {stats.readings} ({stats.contributors})
      </td>
      <td data-label={OPERATOR_COLUMNS[2]}>{LEVELS.map((level) => Math.round((stats.levelShares?.[level] ?? 0) * 100)).join(' / ')} %</td>
      <td data-label={OPERATOR_COLUMNS[3]}>{stats.medianDbm === null || stats.medianDbm === undefined ? '—' : `${stats.medianDbm} dBm`}</td>
      <td data-label={OPERATOR_COLUMNS[4]}>
        {stats.callSuccessRate === null || stats.callSuccessRate === undefined
          ? 'non testé'
          : `${percent(stats.callSuccessRate)}${stats.callTests ? ` (${stats.callTests} essais)` : ''}`}
      </td>
    </tr>
  );
}
