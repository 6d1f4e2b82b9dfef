import {
  declaredLevelCode,
  declaredLevelOfNiveau,
  DECLARED_LEVEL_LABELS,
  KNOWN_NIVEAU_SPELLINGS,
  type DeclaredLevel,
} from '../../domain/grid/declared-level.ts';
import { OPERATOR_LABELS, OPERATOR_PLMNS, OPERATORS, type Operator } from '../../domain/operators.ts';
import type { RadioTechnology } from '../../domain/signal.ts';
import type { DeclaredEdition } from '../storage/declared-coverage-store.ts';
import type { Store } from '../storage/store.ts';
import { readPolygonsFile, type PolygonFeature, type PolygonsFile } from './coverage-polygons-file.ts';
import { computeDeclaredCells, type LevelPolygon } from './declared-cells.ts';
import { departementCells, departementName } from './departement-cells.ts';
import type { DataImporter } from './importers.ts';

/**
 * `npm run data -- import declared-coverage FICHIER [--operator orange] [--technology 4G]
 * [--departement 34] [--date AAAA-MM-JJ]`: an operator's declared coverage map (Arcep's
 * « couverture théorique », GeoPackage or GeoJSON) turned into the declared level of each
 * 200 m cell of the département (declared-cells.ts), replacing the edition loaded before for
 * that département × operator × technology. Columns as Arcep's own importer reads them:
 * `operateur` (MCC-MNC, e.g. 20801), `operateur_commercial` / `operateur_infra` in newer
 * files, `techno`, `niveau`, `date`, `dept`; the options fill what the file lacks.
 */

const OPTIONS = ['operator', 'technology', 'departement', 'date'] as const;
type Option = (typeof OPTIONS)[number];

const RADIO_TECHNOLOGIES: readonly RadioTechnology[] = ['2G', '3G', '4G', '5G'];

export interface DeclaredCoverageImport {
  edition: DeclaredEdition;
  replaced: DeclaredEdition | undefined;
}

export const declaredCoverageImporter: DataImporter = {
  usage: 'FICHIER.gpkg|.geojson [--operator orange|sfr|bouygues|free] [--technology 2G|3G|4G|5G] [--departement 34] [--date AAAA-MM-JJ]',
  async run(args, store) {
    const { edition, replaced } = await importDeclaredCoverage(args, store, new Date());
    const name = departementName(edition.departement) ?? edition.departement;
    const counts = (Object.entries(edition.cells) as [DeclaredLevel, number][]).map(([level, n]) => `${DECLARED_LEVEL_LABELS[level]} ${n}`).join(', ');
    return [
      `Couverture déclarée ${OPERATOR_LABELS[edition.operator]} ${edition.technology}, édition du ${edition.editionDate} (${edition.source}) : ` +
        `${edition.polygons} polygone${edition.polygons > 1 ? 's' : ''} sur ${name} (${edition.departement}).`,
      `Mailles de 200 m : ${counts}.`,
      replaced
        ? `Remplace l’édition du ${replaced.editionDate} (${replaced.source}, chargée le ${replaced.importedAt.slice(0, 10)}).`
        : 'Première édition chargée pour cet opérateur et cette technologie dans ce département.',
    ];
  },
};

/** The whole import; exported for the tests and the bench. Throws a French error, writing nothing, on bad input. */
export async function importDeclaredCoverage(args: readonly string[], store: Store, now: Date): Promise<DeclaredCoverageImport> {
  const { file, options } = parseArgs(args);
  const polygonsFile = readPolygonsFile(file);
  const read = readAttributes(polygonsFile, options);
  const departement = await chooseDepartement(read.departements, options.departement, store, polygonsFile.name);
  const cells = departementCells(departement);
  const features = read.features.filter((f) => f.departement === undefined || f.departement === departement);
  const computed = computeDeclaredCells(cells, levelPolygons(features, polygonsFile));
  if (!computed.touched) {
    throw new Error(
      `${polygonsFile.name} : aucun polygone couvert ne touche le département ${departement} (${departementName(departement)}) ; ` +
        `le fichier est-il celui d’un autre département, ou dans un autre système de coordonnées que ${polygonsFile.crs.name} ?`,
    );
  }
  const [stored] = await store
    .declaredEditions([departement])
    .then((all) => all.filter((e) => e.operator === read.operator && e.technology === read.technology));
  if (stored && stored.editionDate > read.editionDate) {
    throw new Error(
      `l’édition chargée pour ${OPERATOR_LABELS[read.operator]} ${read.technology} dans le ${departement} (${stored.editionDate}, ${stored.source}) ` +
        `est plus récente que celle de ${polygonsFile.name} (${read.editionDate}) : rien n’est remplacé.`,
    );
  }
  const edition: DeclaredEdition = {
    departement,
    operator: read.operator,
    technology: read.technology,
    source: polygonsFile.name,
    editionDate: read.editionDate,
    importedAt: now.toISOString(),
    polygons: features.reduce((n, f) => n + f.polygons.length, 0),
    cells: computed.counts,
  };
  const replaced = await store.replaceDeclaredCoverage(edition, computed.cells);
  return { edition, replaced };
}

function parseArgs(args: readonly string[]): { file: string; options: Partial<Record<Option, string>> } {
  const [file, ...rest] = args;
  if (file === undefined || file.startsWith('--')) throw new Error(`fichier attendu : ${declaredCoverageImporter.usage}`);
  const options: Partial<Record<Option, string>> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const name = rest[i]!.replace(/^--/, '');
    const value = rest[i + 1];
    if (!rest[i]!.startsWith('--') || !(OPTIONS as readonly string[]).includes(name)) {
      throw new Error(`option inconnue « ${rest[i]} » ; connues : ${OPTIONS.map((o) => `--${o}`).join(', ')}`);
    }
    if (value === undefined || value.startsWith('--')) throw new Error(`--${name} attend une valeur`);
    options[name as Option] = value;
  }
  return { file, options };
}

interface AttributedFeature extends PolygonFeature {
  level: DeclaredLevel;
  departement: string | undefined;
}

interface Attributes {
  operator: Operator;
  technology: RadioTechnology;
  editionDate: string;
  /** The `dept` values found, empty when the file has no such column. */
  departements: Set<string>;
  features: AttributedFeature[];
}

/** A column's value, its name compared without case. */
function column(properties: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const [key, value] of Object.entries(properties)) {
    if (names.includes(key.toLowerCase()) && value !== null && value !== undefined && String(value).trim() !== '') return String(value).trim();
  }
  return undefined;
}

const list = (values: Iterable<string>) => [...values].map((v) => `« ${v} »`).join(', ');

function readAttributes(file: PolygonsFile, options: Partial<Record<Option, string>>): Attributes {
  const { name } = file;
  if (file.features.length === 0) throw new Error(`${name} ne contient aucune entité (aucune géométrie)`);
  const operators = new Set<string>();
  const technologies = new Set<string>();
  const dates = new Set<string>();
  const departements = new Set<string>();
  const unknownNiveaux = new Set<string>();
  const niveaux = new Set<string>();
  const features: AttributedFeature[] = [];
  for (const [index, feature] of file.features.entries()) {
    const p = feature.properties;
    const operator = column(p, 'operateur_commercial', 'operateur');
    if (operator !== undefined) operators.add(operator);
    const technology = column(p, 'techno', 'technologie');
    if (technology !== undefined) technologies.add(technology);
    const date = column(p, 'date');
    if (date !== undefined) dates.add(date);
    const dept = column(p, 'dept', 'departement', 'code_dept');
    if (dept !== undefined) departements.add(departementCode(dept));
    const niveau = column(p, 'niveau');
    if (niveau === undefined)
      throw new Error(`${name}, entité ${index + 1} : colonne niveau absente ou vide (colonnes trouvées : ${Object.keys(p).join(', ') || 'aucune'})`);
    niveaux.add(niveau);
    const level = declaredLevelOfNiveau(niveau);
    if (level === undefined) unknownNiveaux.add(niveau);
    if (feature.polygons.length === 0) continue;
    features.push({ ...feature, level: level ?? 'none', departement: dept === undefined ? undefined : departementCode(dept) });
  }
  if (unknownNiveaux.size > 0) {
    throw new Error(
      `${name} : valeur(s) de niveau inconnue(s) ${list(unknownNiveaux)} ; valeurs trouvées : ${list(niveaux)} ; connues : ${KNOWN_NIVEAU_SPELLINGS.join(', ')}`,
    );
  }
  if (features.length === 0) throw new Error(`${name} : toutes les géométries sont vides`);
  return {
    operator: oneOperator(operators, options.operator, name),
    technology: oneTechnology(technologies, options.technology, name),
    editionDate: editionDate(dates, options.date, name),
    departements,
    features,
  };
}

function departementCode(value: string): string {
  return /^\d$/.test(value) ? `0${value}` : value.toUpperCase();
}

/** An operator by key, name or MCC-MNC (20801, 208-01, 208 01). */
function operatorOf(value: string): Operator | undefined {
  const lower = value.toLowerCase().trim();
  const byName = OPERATORS.find((o) => o === lower || OPERATOR_LABELS[o].toLowerCase() === lower || (o === 'bouygues' && lower === 'bouygues telecom'));
  if (byName) return byName;
  const digits = lower.replace(/\D/g, '');
  if (digits.length !== 5) return undefined;
  const plmn = `${digits.slice(0, 3)}-${digits.slice(3)}`;
  return OPERATORS.find((o) => OPERATOR_PLMNS[o].includes(plmn));
}

function oneOperator(found: Set<string>, option: string | undefined, name: string): Operator {
  const fromOption = option === undefined ? undefined : operatorOf(option);
  if (option !== undefined && !fromOption) throw new Error(`--operator ${option} : opérateur inconnu ; connus : ${OPERATORS.join(', ')}`);
  const fromFile = new Set<Operator>();
  for (const value of found) {
    const operator = operatorOf(value);
    if (!operator)
      throw new Error(
        `${name} : opérateur inconnu ${list([value])} (colonne operateur) ; attendu un code MCC-MNC français (20801…) ou ${OPERATORS.join(', ')}`,
      );
    fromFile.add(operator);
  }
  if (fromFile.size > 1) throw new Error(`${name} mêle plusieurs opérateurs (${list(found)}) : un fichier par opérateur est attendu`);
  const [inFile] = fromFile;
  if (inFile && fromOption && inFile !== fromOption)
    throw new Error(`${name} est la carte de ${OPERATOR_LABELS[inFile]} (colonne operateur), pas de ${OPERATOR_LABELS[fromOption]} (--operator)`);
  const operator = inFile ?? fromOption;
  if (!operator) throw new Error(`${name} n’a pas de colonne operateur : indiquez --operator (${OPERATORS.join(', ')})`);
  return operator;
}

function technologyOf(value: string): RadioTechnology | undefined {
  return RADIO_TECHNOLOGIES.find((t) => t.toLowerCase() === value.toLowerCase().trim());
}

function oneTechnology(found: Set<string>, option: string | undefined, name: string): RadioTechnology {
  const fromOption = option === undefined ? undefined : technologyOf(option);
  if (option !== undefined && !fromOption) throw new Error(`--technology ${option} : technologie inconnue ; connues : ${RADIO_TECHNOLOGIES.join(', ')}`);
  const fromFile = new Set<RadioTechnology>();
  for (const value of found) {
    const technology = technologyOf(value);
    if (!technology) throw new Error(`${name} : technologie inconnue ${list([value])} (colonne techno) ; connues : ${RADIO_TECHNOLOGIES.join(', ')}`);
    fromFile.add(technology);
  }
  if (fromFile.size > 1) throw new Error(`${name} mêle plusieurs technologies (${list(found)}) : un fichier par technologie est attendu`);
  const [inFile] = fromFile;
  if (inFile && fromOption && inFile !== fromOption) throw new Error(`${name} est une carte ${inFile} (colonne techno), pas ${fromOption} (--technology)`);
  const technology = inFile ?? fromOption;
  if (!technology) throw new Error(`${name} n’a pas de colonne techno : indiquez --technology (${RADIO_TECHNOLOGIES.join(', ')})`);
  return technology;
}

/** `YYYY-MM-DD` from 2026-07-01, 20260701, 2026-07 (first of the month) or 01/07/2026; undefined otherwise. */
function isoDate(value: string): string | undefined {
  const text = value.trim();
  let match = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?$/.exec(text);
  if (match) return checked(match[1]!, match[2]!, match[3]!);
  match = /^(\d{4})-(\d{2})$/.exec(text);
  if (match) return checked(match[1]!, match[2]!, '01');
  match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  if (match) return checked(match[3]!, match[2]!, match[1]!);
  return undefined;
}

function checked(year: string, month: string, day: string): string | undefined {
  const iso = `${year}-${month}-${day}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : undefined;
}

function editionDate(found: Set<string>, option: string | undefined, name: string): string {
  if (option !== undefined) {
    const date = isoDate(option);
    if (!date) throw new Error(`--date ${option} : date AAAA-MM-JJ attendue`);
    return date;
  }
  if (found.size === 0) throw new Error(`${name} n’a pas de colonne date : indiquez la date de l’édition avec --date AAAA-MM-JJ`);
  const dates = [...found].map((value) => {
    const date = isoDate(value);
    if (!date) throw new Error(`${name} : date illisible ${list([value])} (colonne date) ; AAAA-MM-JJ attendue, ou indiquez --date`);
    return date;
  });
  // Editions date each polygon's last update: the file is as recent as its newest.
  return dates.sort().at(-1)!;
}

async function chooseDepartement(inFile: Set<string>, option: string | undefined, store: Store, name: string): Promise<string> {
  const loads = await store.communeLoads();
  const deployment = new Set(loads.flatMap((load) => load.departements));
  let departement: string;
  if (option !== undefined) {
    departement = departementCode(option);
    if (inFile.size > 0 && !inFile.has(departement)) {
      throw new Error(`${name} ne porte que les départements ${[...inFile].sort().join(', ')} (colonne dept), pas le ${departement}`);
    }
  } else if (inFile.size === 1) {
    departement = [...inFile][0]!;
  } else if (inFile.size > 1) {
    throw new Error(`${name} couvre plusieurs départements (${[...inFile].sort().join(', ')}, colonne dept) : indiquez lequel charger avec --departement`);
  } else if (deployment.size === 1) {
    departement = [...deployment][0]!;
  } else {
    throw new Error(`${name} n’a pas de colonne dept : indiquez le département avec --departement`);
  }
  if (!departementName(departement)) throw new Error(`${name} : département ${departement} inconnu (départements de métropole seulement)`);
  if (deployment.size > 0 && !deployment.has(departement)) {
    throw new Error(
      `${name} est la carte du département ${departement} (${departementName(departement)}), or cette installation n’a chargé que les communes de ${[...deployment].sort().join(', ')} ` +
        '(npm run communes -- status) : chargez d’abord ses communes, ou vérifiez le fichier.',
    );
  }
  return departement;
}

function* levelPolygons(features: readonly AttributedFeature[], file: PolygonsFile): Generator<LevelPolygon> {
  const { toLaea } = file.crs;
  for (const feature of features) {
    const code = declaredLevelCode(feature.level);
    for (const polygon of feature.polygons) {
      yield {
        code,
        rings: polygon.map((ring) => {
          const out = new Float64Array(ring.length);
          for (let k = 0; k < ring.length; k += 2) {
            const [east, north] = toLaea(ring[k]!, ring[k + 1]!);
            out[k] = east;
            out[k + 1] = north;
          }
          return out;
        }),
      };
    }
  }
}
