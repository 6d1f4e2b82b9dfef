import { api } from '../shell/api.ts';

/** Where the server publishes open data (docs/api.md, "Open data"). */
export const OPEN_DATA_BASE = '/api/v1/open-data/';

/** What the page reads of datapackage.json (src/server/grid/open-data.ts writes it). */
export interface OpenDataPackage {
  created: string;
  licenses: { name: string; title: string; path: string }[];
  resources: { name: string; path: string }[];
  published: { cells: number; rows: number };
  withholding: { minContributors: number; cellsWithheld: number; rowsWithheld: number };
}

export interface OpenDataFile {
  path: string;
  title: string;
  what: string;
}

/** The published files. No sizes: the files are made afresh at each request (src/server/grid/open-data.ts). */
export const OPEN_DATA_FILES: readonly OpenDataFile[] = [
  { path: 'grid.csv', title: 'Grille de couverture (CSV)', what: 'une ligne par maille de 200 m et par opérateur ; s’ouvre dans un tableur ou un outil de données' },
  { path: 'grid.geojson', title: 'Grille de couverture (GeoJSON)', what: 'les mêmes mailles en polygones, pour une carte (QGIS, uMap…)' },
  { path: 'grid.schema.json', title: 'Description des colonnes (Table Schema)', what: 'le nom, le type, l’unité et les valeurs possibles de chaque colonne du CSV' },
  { path: 'datapackage.json', title: 'Fiche du jeu de données (Data Package)', what: 'licence, date, fichiers et règles de publication, pour un portail de données ouvertes' },
];

export function loadOpenDataPackage(signal?: AbortSignal): Promise<OpenDataPackage> {
  return api<OpenDataPackage>(`${OPEN_DATA_BASE}datapackage.json`, signal ? { signal } : {});
}
