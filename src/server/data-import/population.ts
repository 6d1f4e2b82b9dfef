import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseCellId } from '../../domain/grid/cell-id.ts';
import type { CellPopulationRow } from '../storage/people-store.ts';
import type { Store } from '../storage/store.ts';
import { columnOf, problemList, publishedNumber, readDelimited } from './delimited-file.ts';
import type { DataImporter } from './importers.ts';

/**
 * `npm run data -- import population FICHIER.csv [--edition 2019]`: INSEE's Filosofi 200 m
 * grid (« données carroyées »). Its cell ids (`Idcar_200m`, e.g.
 * CRS3035RES200mN2029800E4252800) are our 200 m cell ids, south-west corner included, so they
 * are read by cell-id.ts's own parser and nothing is converted. Columns, any case: `Idcar_200m`,
 * `Ind` (inhabitants), `Men` (households); dwellings when the edition gives them by
 * construction period (`Log_av45`, `Log_45_70`, `Log_70_90`, `Log_ap90`, `Log_inc`, summed).
 * Other columns are ignored. The edition is `--edition`, else the year in the file's name.
 */

const ID_COLUMNS = ['idcar_200m', 'idcar200m', 'idcar'] as const;
const DWELLING_COLUMNS = ['log_av45', 'log_45_70', 'log_70_90', 'log_ap90', 'log_inc'] as const;

export interface PopulationImport {
  edition: string;
  cells: number;
  inhabitants: number;
  households: number;
  /** Whether the file gave dwellings. */
  dwellings: boolean;
  replaced: number;
}

export const populationImporter: DataImporter = {
  usage: 'FICHIER.csv [--edition 2019]   carroyage INSEE de 200 m (Filosofi : Idcar_200m, Ind, Men…)',
  async run(args, store) {
    const done = await importPopulation(args, store);
    const count = (value: number) => Math.round(value).toLocaleString('fr-FR');
    return [
      `Population INSEE (carroyage 200 m, édition ${done.edition}) : ${count(done.cells)} mailles, ${count(done.inhabitants)} habitants, ${count(done.households)} ménages` +
        `${done.dwellings ? ', logements compris' : ' (sans logements : colonnes Log_* absentes)'}.`,
      done.replaced > 0 ? `${count(done.replaced)} mailles déjà chargées ont pris les chiffres de ce fichier.` : 'Aucune de ces mailles n’était déjà chargée.',
    ];
  },
};

function parseArgs(args: readonly string[]): { file: string; edition?: string } {
  const [file, ...rest] = args;
  if (file === undefined || file.startsWith('--')) throw new Error('donnez le fichier : npm run data -- import population FICHIER.csv [--edition 2019]');
  let edition: string | undefined;
  for (let i = 0; i < rest.length; i += 2) {
    if (rest[i] !== '--edition' || rest[i + 1] === undefined)
      throw new Error(`option inconnue ou incomplète : « ${rest.slice(i).join(' ')} » ; seule --edition AAAA est acceptée.`);
    edition = rest[i + 1]!.trim();
  }
  return { file, ...(edition !== undefined && { edition }) };
}

/** Reads and checks the whole file, then stores it in one transaction. Throws a French error, writing nothing, on bad input. */
export async function importPopulation(args: readonly string[], store: Store): Promise<PopulationImport> {
  const { file, edition: given } = parseArgs(args);
  const name = basename(file);
  const edition = given || /(?:^|\D)((?:19|20)\d\d)(?:\D|$)/.exec(name)?.[1];
  if (!edition) throw new Error(`${name} : quelle édition du carroyage ? Son nom ne porte pas d’année : ajoutez --edition 2019 (par exemple).`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`${file} : fichier illisible (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  const table = readDelimited(text, name);
  const columns = { id: columnOf(table, ID_COLUMNS), ind: columnOf(table, ['ind']), men: columnOf(table, ['men']) };
  const missing = [columns.id < 0 && 'Idcar_200m', columns.ind < 0 && 'Ind', columns.men < 0 && 'Men'].filter(Boolean);
  if (missing.length > 0) {
    throw new Error(
      `${name} : colonne${missing.length > 1 ? 's' : ''} ${missing.join(', ')} introuvable${missing.length > 1 ? 's' : ''} ; en-tête lu : ${table.headers.join(', ')}.`,
    );
  }
  const dwellingColumns = DWELLING_COLUMNS.map((column) => columnOf(table, [column]));
  const withDwellings = dwellingColumns.every((index) => index >= 0);

  const rows: CellPopulationRow[] = [];
  const badIds: string[] = [];
  const badNumbers: string[] = [];
  const seen = new Set<string>();
  table.rows.forEach((row, i) => {
    const line = table.lineOf(i);
    const id = row[columns.id]!;
    const cell = parseCellId(id);
    if (cell?.resolutionM !== 200) {
      badIds.push(`ligne ${line} : « ${id} »`);
      return;
    }
    if (seen.has(id)) {
      badIds.push(`ligne ${line} : « ${id} » en double`);
      return;
    }
    seen.add(id);
    const number = (index: number, column: string) => {
      const value = publishedNumber(row[index]!);
      if (value === undefined || value < 0) badNumbers.push(`ligne ${line}, ${column} : « ${row[index]} »`);
      return value ?? 0;
    };
    const inhabitants = number(columns.ind, 'Ind');
    const households = number(columns.men, 'Men');
    const dwellings = withDwellings ? dwellingColumns.reduce((sum, index, k) => sum + number(index, DWELLING_COLUMNS[k]!), 0) : null;
    rows.push({ north: cell.north, east: cell.east, inhabitants, households, dwellings, edition });
  });
  if (badIds.length > 0) {
    throw new Error(
      `${name} : ${badIds.length} identifiant${badIds.length > 1 ? 's' : ''} de maille refusé${badIds.length > 1 ? 's' : ''} (attendu une maille INSPIRE de 200 m, ex. CRS3035RES200mN2029800E4252800) : ${problemList(badIds)}.`,
    );
  }
  if (badNumbers.length > 0) {
    const many = badNumbers.length > 1;
    throw new Error(
      `${name} : ${badNumbers.length} valeur${many ? 's' : ''} illisible${many ? 's' : ''} (attendu un nombre positif ou nul, ex. 12.5) : ${problemList(badNumbers)}.`,
    );
  }
  if (rows.length === 0) throw new Error(`${name} : aucune maille sous l’en-tête.`);
  const { replaced } = await store.importPopulation(rows);
  return {
    edition,
    cells: rows.length,
    inhabitants: rows.reduce((sum, row) => sum + row.inhabitants, 0),
    households: rows.reduce((sum, row) => sum + row.households, 0),
    dwellings: withDwellings,
    replaced,
  };
}
