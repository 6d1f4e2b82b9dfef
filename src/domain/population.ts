/**
 * People affected: INSEE's Filosofi 200 m grid (« données carroyées ») counts inhabitants and
 * households on the same INSPIRE cells as ours. Filosofi publishes only inhabited cells, and
 * its counts are estimates (imputed where fewer than 11 households live, hence decimals): we
 * keep them as published and round only when we show them.
 */

/** What a cell (or a zone, summed over its cells) holds, from one edition of the grid. */
export interface People {
  inhabitants: number;
  households: number;
  /** Dwellings (the edition's `Log_*` construction-period columns summed); null when the edition has none. */
  dwellings: number | null;
  /** The edition's label (its year, e.g. « 2019 »), or several joined when cells come from different ones. */
  edition: string;
}

/** Sums cells' people: cells with none count as empty; null when none of them has any (no edition covers them). */
export function sumPeople(cells: readonly (People | null)[]): People | null {
  let sum: People | null = null;
  const editions = new Set<string>();
  for (const cell of cells) {
    if (!cell) continue;
    editions.add(cell.edition);
    sum ??= { inhabitants: 0, households: 0, dwellings: null, edition: '' };
    sum.inhabitants += cell.inhabitants;
    sum.households += cell.households;
    if (cell.dwellings !== null) sum.dwellings = (sum.dwellings ?? 0) + cell.dwellings;
  }
  if (sum) sum.edition = [...editions].sort().join(', ');
  return sum;
}

const count = (value: number) => Math.round(value).toLocaleString('fr-FR');

/** « 1 240 habitants, 530 ménages, 610 logements dans la zone (INSEE, carroyage 200 m, édition 2019) ». */
export function peopleStatement(people: People | null): string {
  if (!people) return 'Population inconnue : aucune édition du carroyage INSEE n’a été chargée pour ces mailles (npm run data -- import population).';
  const plural = (value: number, one: string, many: string) => `${count(value)} ${Math.round(value) > 1 ? many : one}`;
  const parts = [plural(people.inhabitants, 'habitant', 'habitants'), plural(people.households, 'ménage', 'ménages')];
  if (people.dwellings !== null) parts.push(plural(people.dwellings, 'logement', 'logements'));
  return `${parts.join(', ')} dans la zone (INSEE, carroyage 200 m, édition ${people.edition})`;
}
