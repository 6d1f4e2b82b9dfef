/** Where the server publishes open data (docs/api.md, "Open data"). */
export const OPEN_DATA_BASE = '/api/v1/open-data/';

export interface OpenDataFile {
  path: string;
  title: string;
  what: string;
}

/** The published files. No sizes: the files are made afresh at each request (src/server/grid/open-data.ts). */
export const OPEN_DATA_FILES: readonly OpenDataFile[] = [
  {
    path: 'grid.csv',
    title: 'Grille de couverture (CSV)',
    what: 'une ligne par maille de 200 m et par opérateur ; s’ouvre dans un tableur ou un outil de données',
  },
  { path: 'grid.geojson', title: 'Grille de couverture (GeoJSON)', what: 'les mêmes mailles en polygones, pour une carte (QGIS, uMap…)' },
  {
    path: 'grid.schema.json',
    title: 'Description des colonnes (Table Schema)',
    what: 'le nom, le type, l’unité et les valeurs possibles de chaque colonne du CSV',
  },
  {
    path: 'datapackage.json',
    title: 'Fiche du jeu de données (Data Package)',
    what: 'licence, date, fichiers et règles de publication, pour un portail de données ouvertes',
  },
];
