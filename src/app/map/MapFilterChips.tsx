import { OPERATOR_LABELS, OPERATORS } from '../../domain/operators.ts';
import { TECHNOLOGIES, TECHNOLOGY_LABELS } from '../../domain/signal.ts';
import { isShown, toggleFilter, type MapReadingFilters } from './map-filters.ts';

/** Which readings the map shows, by operator and technology: both layers, remembered on the device. */
export function MapFilterChips({ filters, onChange }: { filters: MapReadingFilters; onChange(next: MapReadingFilters): void }) {
  return (
    <div class="map-filters">
      <fieldset class="filter-chips">
        <legend>Opérateurs affichés</legend>
        {OPERATORS.map((operator) => (
          <label key={operator} class="filter-chip">
            <input
              type="checkbox"
              checked={isShown(filters.operators, operator)}
              onChange={() => onChange({ ...filters, operators: toggleFilter(filters.operators, OPERATORS, operator) })}
            />{' '}
            {OPERATOR_LABELS[operator]}
          </label>
        ))}
      </fieldset>
      <fieldset class="filter-chips">
        <legend>Technologies affichées</legend>
        {TECHNOLOGIES.map((technology) => (
          <label key={technology} class="filter-chip">
            <input
              type="checkbox"
              checked={isShown(filters.technologies, technology)}
              onChange={() => onChange({ ...filters, technologies: toggleFilter(filters.technologies, TECHNOLOGIES, technology) })}
            />{' '}
            {TECHNOLOGY_LABELS[technology]}
          </label>
        ))}
      </fieldset>
    </div>
  );
}
