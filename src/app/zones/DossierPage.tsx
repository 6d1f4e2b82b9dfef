import L from '../map/leaflet.ts';
import { useEffect, useRef } from 'preact/hooks';
import { CELL_ZONE_LABELS, CELL_ZONES } from '../../domain/grid/cell-verdict.ts';
import { SETTING_LABELS, type Setting } from '../../domain/reading.ts';
import { OPERATOR_LABELS, OPERATORS } from '../../domain/operators.ts';
import { ZONE_NEED_LABELS, ZONE_STATUS_LABELS } from '../../domain/zone.ts';
import { OperatorFigures, OperatorHead, OperatorRow, VerdictKey } from '../cells/CellPanel.tsx';
import { formatDate, percent } from '../cells/labels.ts';
import { formatDayRange } from '../format.ts';
import { createBaseLayer } from '../map/base-layer.ts';
import { loadTileConfig } from '../map/tile-config.ts';
import { ZONE_COLOURS } from '../map/zone-colours.ts';
import { DossierAnswerSchema } from '../../domain/api/index.ts';
import type { Dossier } from './dossier-types.ts';
import { DossierAfterArrete, DossierPeople } from './DossierFollowUp.tsx';
import { DeclaredCoverageSection } from './DeclaredCoverageSection.tsx';
import { zoneFileUrl } from './zones-api.ts';
import { UNPLACED_COMMUNES } from './zone-communes.ts';
import { useTitle } from '../shell/use-title.ts';
import { hrefTo } from '../shell/routes.ts';
import { useApi } from '../shell/use-api.ts';
import { ApiErrorMessage } from '../shell/ApiErrorMessage.tsx';

/**
 * A zone's dossier as a préfecture attaches it to its proposal: one A4 page (print CSS in
 * styles.css, « @media print »): map of the outline and cells, per-operator table, call tests,
 * dates, contributors counted and never named.
 */
export function DossierPage({ id }: { id: string }) {
  useTitle('Dossier de zone');
  const { data: dossier, error, reload } = useApi(zoneFileUrl(id, 'dossier.json'), DossierAnswerSchema);

  return (
    <section class="screen dossier-screen" aria-labelledby="dossier-title">
      <div class="actions no-print">
        <a href={hrefTo('zones')}>← Zones</a>
        <button type="button" class="primary" onClick={() => window.print()} disabled={!dossier}>
          Imprimer
        </button>
      </div>
      <ApiErrorMessage error={error} onRetry={reload} />
      {!dossier && !error && <p>Chargement du dossier…</p>}
      {dossier && <DossierSheet dossier={dossier} />}
    </section>
  );
}

function DossierSheet({ dossier }: { dossier: Dossier }) {
  const { zone } = dossier;
  const operators = [...dossier.operators].sort((a, b) => OPERATORS.indexOf(a.operator) - OPERATORS.indexOf(b.operator));
  return (
    <article class="dossier-sheet" aria-labelledby="dossier-title">
      <header class="dossier-head">
        <p class="dossier-kicker">
          New Deal Mobile · dispositif de couverture ciblée · {dossier.departement.name} ({dossier.departement.code})
        </p>
        <h2 id="dossier-title">{zone.name}</h2>
        <p>
          <span class={`state zone-status zone-status-${zone.status}`}>{dossier.statusLabel ?? ZONE_STATUS_LABELS[zone.status]}</span> · besoin :{' '}
          {dossier.needLabel ?? ZONE_NEED_LABELS[zone.need]}
          {zone.need === 'autre' && zone.needDetail ? ` (${zone.needDetail})` : ''}
        </p>
        <p>
          Communes :{' '}
          {dossier.communes.length > 0 ? dossier.communes.map((c) => (c.name === c.code ? c.code : `${c.name} (${c.code})`)).join(', ') : UNPLACED_COMMUNES}
        </p>
      </header>
      <DossierMap dossier={dossier} />
      <ul class="legend dossier-legend" aria-label="Mailles de la zone">
        {CELL_ZONES.filter((z) => (dossier.cellsByZone[z] ?? 0) > 0).map((z) => (
          <li key={z}>
            <span class={`zone-swatch zone-${z}`} /> {CELL_ZONE_LABELS[z]} : {dossier.cellsByZone[z]} maille{dossier.cellsByZone[z] > 1 ? 's' : ''}
          </li>
        ))}
      </ul>
      <dl class="dossier-facts">
        <div>
          <dt>Mailles (200 m, grille INSPIRE)</dt>
          <dd>{zone.cells.length}</dd>
        </div>
        <div>
          <dt>Relevés</dt>
          <dd>{dossier.readings}</dd>
        </div>
        <div>
          <dt>Contributeurs distincts</dt>
          <dd>{dossier.contributors}</dd>
        </div>
        <div>
          <dt>Mesures</dt>
          <dd>{dossier.firstAt && dossier.lastAt ? formatDayRange(new Date(dossier.firstAt), new Date(dossier.lastAt)) : '—'}</dd>
        </div>
        <div>
          <dt>Zone créée le</dt>
          <dd>{formatDate(zone.createdAt)}</dd>
        </div>
        <div>
          <dt>Dossier établi le</dt>
          <dd>{formatDate(dossier.generatedAt)}</dd>
        </div>
      </dl>
      <DossierPeople dossier={dossier} />
      <h3>Par opérateur</h3>
      {operators.length === 0 ? (
        <p>Aucun relevé d’opérateur.</p>
      ) : (
        <>
          <table class="stats-table" aria-label="Par opérateur">
            <OperatorHead />
            <tbody>
              {operators.map((stats) => (
                <OperatorRow key={stats.operator} name={stats.label ?? OPERATOR_LABELS[stats.operator]} stats={stats} />
              ))}
            </tbody>
          </table>
          <VerdictKey />
          <h3>Protocoles, essais conformes et intervalles de confiance</h3>
          <OperatorFigures operators={operators.map((stats) => ({ name: stats.label ?? OPERATOR_LABELS[stats.operator], stats }))} />
        </>
      )}
      <DeclaredCoverageSection entries={dossier.declaredCoverage} />
      <h3>Essais d’appel</h3>
      <table class="stats-table" aria-label="Essais d’appel">
        <thead>
          <tr>
            <th scope="col">Opérateur</th>
            <th scope="col">Essayés</th>
            <th scope="col">Réussis</th>
            <th scope="col">Échoués</th>
            <th scope="col">Coupés</th>
          </tr>
        </thead>
        <tbody>
          {operators.map(({ operator, label, calls }) => (
            <tr key={operator}>
              <th scope="row">{label ?? OPERATOR_LABELS[operator]}</th>
              <td>{calls.ok + calls.failed + calls.dropped}</td>
              <td>{calls.ok}</td>
              <td>{calls.failed}</td>
              <td>{calls.dropped}</td>
            </tr>
          ))}
          <tr class="total">
            <th scope="row">Tous</th>
            <td>{dossier.calls.tried}</td>
            <td>
              {dossier.calls.ok}
              {dossier.calls.successRate !== null && ` (${percent(dossier.calls.successRate)})`}
            </td>
            <td>{dossier.calls.failed}</td>
            <td>{dossier.calls.dropped}</td>
          </tr>
        </tbody>
      </table>
      {dossier.residentReports > 0 && (
        <p>
          {dossier.residentReports} signalement{dossier.residentReports > 1 ? 's' : ''} d’habitants dans la zone (ils ne font pas le verdict).
        </p>
      )}
      <DossierAfterArrete dossier={dossier} />
      <h3>Historique</h3>
      <ol class="dossier-history">
        {zone.history.map((entry, i) => (
          <li key={i}>
            {formatDate(entry.at)} · {entry.from ? `${ZONE_STATUS_LABELS[entry.from]} → ` : ''}
            {ZONE_STATUS_LABELS[entry.to]} — « {entry.reason} »
          </li>
        ))}
      </ol>
      {zone.notes && (
        <>
          <h3>Notes</h3>
          <p>{zone.notes}</p>
        </>
      )}
      <p class="hint dossier-foot">
        Niveaux Arcep (TBC, BC, CL, PC) tirés du signal mesuré ; verdict d’un opérateur sur une maille = niveau médian de ses relevés
        {dossier.rule?.minReadings ? `, à partir de ${dossier.rule.minReadings} relevés` : ''}
        {dossier.rule?.settings
          ? ` (${dossier.rule.settings
              .map((s) => SETTING_LABELS[s as Setting] ?? s)
              .join(', ')
              .toLowerCase()})`
          : ''}
        . Les contributeurs sont comptés, jamais nommés.
      </p>
    </article>
  );
}

/**
 * A still map: outline and cells, no controls (it is printed). It frames every cell of the
 * zone, with a margin, and frames them again whenever its box changes size: the printed
 * sheet's map is not the screen's (print CSS), and Chromium lays the page out for print
 * after `beforeprint` and a `print` media change, both of which refit it.
 */
function DossierMap({ dossier }: { dossier: Dossier }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const map = L.map(container.current!, {
      zoomSnap: 0.25,
      zoomControl: false,
      dragging: false,
      scrollWheelZoom: false,
      doubleClickZoom: false,
      boxZoom: false,
      keyboard: false,
      touchZoom: false,
      attributionControl: true,
    });
    void loadTileConfig().then((tiles) => {
      if (tiles) createBaseLayer(L, tiles).addTo(map);
    });
    for (const cell of dossier.cells) {
      const colour = ZONE_COLOURS[cell.zone] ?? ZONE_COLOURS.insufficient;
      L.polygon(
        cell.ring.map(([lon, lat]) => [lat, lon] as [number, number]),
        { color: colour, weight: 0.5, fillColor: colour, fillOpacity: 0.5, interactive: false },
      ).addTo(map);
    }
    L.geoJSON(dossier.outline, { style: { color: '#003d7a', weight: 3, fill: false }, interactive: false }).addTo(map);
    const bounds = L.latLngBounds(dossier.cells.flatMap((cell) => cell.ring.map(([lon, lat]) => [lat, lon] as [number, number])));
    const frame = () => {
      map.invalidateSize({ animate: false });
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17, animate: false });
      else map.setView([46.6, 2.4], 5, { animate: false });
    };
    frame();
    const printing = window.matchMedia('print');
    const resized = new ResizeObserver(frame);
    resized.observe(container.current!);
    printing.addEventListener('change', frame);
    window.addEventListener('beforeprint', frame);
    return () => {
      resized.disconnect();
      printing.removeEventListener('change', frame);
      window.removeEventListener('beforeprint', frame);
      map.remove();
    };
  }, [dossier]);
  // A figure, not role="img": the map holds a link (the tiles' attribution), which an image may not.
  return (
    <figure class="dossier-figure">
      <div ref={container} class="dossier-map" />
      <figcaption class="visually-hidden">Carte de la zone : contour et mailles colorées selon leur verdict</figcaption>
    </figure>
  );
}
