import Papa from 'papaparse';

/**
 * A reference CSV as INSEE and most open-data portals publish them: `,` or `;` (whichever the
 * header line uses), an optional UTF-8 BOM, headers matched case-insensitively.
 */
export interface DelimitedTable {
  /** Header names, trimmed and lower-cased. */
  headers: string[];
  /** Data rows, each as long as the header (missing cells are empty). */
  rows: string[][];
  /** The file's line number of rows[i] (header = line 1), for messages. */
  lineOf(i: number): number;
}

export function readDelimited(text: string, fileName: string): DelimitedTable {
  const body = text.replace(/^\uFEFF/, '');
  const headerLine = body.slice(0, body.search(/\r?\n|$/));
  const delimiter = headerLine.includes(';') ? ';' : ',';
  const parsed = Papa.parse<string[]>(body, { delimiter, skipEmptyLines: 'greedy' });
  const [header, ...rows] = parsed.data;
  if (!header || header.every((name) => name.trim() === '')) throw new Error(`${fileName} : fichier vide, aucune ligne d’en-tête.`);
  const headers = header.map((name) => name.trim().toLowerCase());
  return { headers, rows: rows.map((row) => headers.map((_, i) => (row[i] ?? '').trim())), lineOf: (i) => i + 2 };
}

/** The index of the first of `names` among the headers; -1 when none is there. */
export function columnOf(table: DelimitedTable, names: readonly string[]): number {
  for (const name of names) {
    const index = table.headers.indexOf(name);
    if (index >= 0) return index;
  }
  return -1;
}

/** A number as published: `12.5` or, in `;` files, `12,5`; undefined when it is not one. */
export function publishedNumber(text: string): number | undefined {
  if (!/^-?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?$/.test(text)) return undefined;
  return Number(text.replace(',', '.'));
}

/** « ligne 4 : … ; ligne 9 : … (et 12 autres) »: the first problems of a file, and how many more. */
export function problemList(problems: readonly string[], shown = 3): string {
  const listed = problems.slice(0, shown).join(' ; ');
  return problems.length > shown ? `${listed} (et ${problems.length - shown} autres)` : listed;
}
