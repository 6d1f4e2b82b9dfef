import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { READING_CSV_COLUMNS, ZONE_CSV_COLUMNS } from '../../src/server/grid/zone-documents.ts';
import { addUser, openTestApp, postReadings, useTempDir, type TestApp } from './fixtures.ts';
import { CELL_A, ID_A, levelReading, pointIn } from './grid-helpers.ts';

/**
 * `?format=tableur` on zones.csv and a zone's readings.csv: the file French spreadsheets open
 * into columns by a double-click (semicolons, byte-order mark, CRLF, headers and values in
 * French, decimal commas, dates in Paris). Without it, the machine CSV as before.
 */

const tempDir = useTempDir();
let server: TestApp;

afterEach(async () => {
  await server.close();
});

/** The file as a French spreadsheet reads it: header row then records. */
function sheet(body: string): { header: string[]; records: Record<string, string>[] } {
  expect(body.startsWith('\uFEFF')).toBe(true);
  const text = body.slice(1);
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replaceAll('\r\n', '')).not.toContain('\n');
  const parsed = Papa.parse<string[]>(text.slice(0, -2), { delimiter: ';', newline: '\r\n' });
  expect(parsed.errors).toEqual([]);
  const [header, ...rows] = parsed.data;
  return { header: header!, records: rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]!]))) };
}

async function world() {
  server = await openTestApp(tempDir());
  const reviewer = await addUser(server.app, { role: 'reviewer', departement: '34' });
  const agent = await addUser(server.app, { communes: ['34261'] });
  const reading = levelReading('BC', {
    ...pointIn(CELL_A, 0.25, 0.5),
    operator: 'orange',
    recordedAt: '2026-05-04T10:15:00.000+02:00',
    voice: 'ok',
    accuracyM: 12.5,
  });
  expect((await postReadings(server.app, [reading], agent)).statusCode).toBe(200);
  const created = await server.app.inject({
    method: 'POST',
    url: '/api/v1/zones',
    headers: reviewer.headers,
    payload: { name: 'Gorges; amont', cells: [ID_A], need: 'axe-routier', notes: '=1+1' },
  });
  expect(created.statusCode, created.body).toBe(201);
  return { reviewer, reading, zone: created.json() as { id: string; createdAt: string } };
}

describe('CSV for a spreadsheet (?format=tableur)', () => {
  it('zones.csv?format=tableur: French headers and labels, semicolons, dates in Paris; the machine CSV is unchanged', async () => {
    const { reviewer, zone } = await world();
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/zones.csv?format=tableur', headers: reviewer.headers });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="zones-34-tableur.csv"');
    const { header, records } = sheet(response.body);
    expect(header).toEqual([
      'Identifiant',
      'Nom',
      'Département',
      'Étape',
      'Besoin',
      'Précision du besoin',
      'Communes (INSEE)',
      'Mailles',
      'Taille des mailles (m)',
      'Créée le',
      'Modifiée le',
      'Notes',
    ]);
    expect(records).toEqual([
      {
        Identifiant: zone.id,
        Nom: 'Gorges; amont',
        Département: '34',
        Étape: 'À étudier',
        Besoin: 'Axe routier',
        'Précision du besoin': '',
        'Communes (INSEE)': '34261',
        Mailles: '1',
        'Taille des mailles (m)': '200',
        // The test clock is 2026-05-04T12:00Z: 14:00 in Paris (summer time).
        'Créée le': '04/05/2026 14:00',
        'Modifiée le': '04/05/2026 14:00',
        Notes: "'=1+1",
      },
    ]);

    const machine = await server.app.inject({ method: 'GET', url: '/api/v1/zones.csv', headers: reviewer.headers });
    expect(machine.headers['content-disposition']).toBe('attachment; filename="zones-34.csv"');
    expect(machine.body.startsWith(`\uFEFF${ZONE_CSV_COLUMNS.join(',')}\n`)).toBe(true);
    expect(machine.body).toContain(',a-etudier,À étudier,axe-routier,Axe routier,');
  });

  it('a zone’s readings.csv?format=tableur: operator, level and tests in words, decimal commas, the reading’s time in Paris', async () => {
    const { reviewer, zone, reading } = await world();
    const response = await server.app.inject({ method: 'GET', url: `/api/v1/zones/${zone.id}/readings.csv?format=tableur`, headers: reviewer.headers });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="zone-${zone.id}-releves-tableur.csv"`);
    const { header, records } = sheet(response.body);
    expect(header).toContain('Niveau de couverture');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      Identifiant: reading.id,
      'Date du relevé': '04/05/2026 10:15',
      Latitude: String(reading.lat).replace('.', ','),
      Longitude: String(reading.lon).replace('.', ','),
      'Précision de la position (m)': '12,5',
      'Maille de 200 m': ID_A,
      'Commune (INSEE)': '34261',
      Opérateur: 'Orange',
      'Niveau de couverture': 'Bonne couverture',
      Situation: 'Extérieur',
      'Test d’appel': 'Appel réussi',
      'Origine du relevé': 'Relevé d’un agent',
    });
    expect(records[0]!.Latitude).toMatch(/^43,\d+$/);

    const machine = await server.app.inject({ method: 'GET', url: `/api/v1/zones/${zone.id}/readings.csv`, headers: reviewer.headers });
    expect(machine.headers['content-disposition']).toBe(`attachment; filename="zone-${zone.id}-releves.csv"`);
    expect(machine.body.startsWith(`\uFEFF${READING_CSV_COLUMNS.join(',')}\n`)).toBe(true);
    expect(machine.body).toContain(`,${reading.lat},${reading.lon},12.5,`);
  });

  it('refuses another format, a repeated one or an unknown parameter with a 400 saying what to send', async () => {
    const { reviewer, zone } = await world();
    const get = (url: string) => server.app.inject({ method: 'GET', url, headers: reviewer.headers });
    for (const url of ['/api/v1/zones.csv?format=excel', `/api/v1/zones/${zone.id}/readings.csv?format=xlsx`]) {
      const response = await get(url);
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatch(/attendu format=tableur/);
    }
    expect((await get('/api/v1/zones.csv?format=tableur&format=tableur')).json().error).toMatch(/donné 2 fois/);
    expect((await get('/api/v1/zones.csv?tableur=1')).json().error).toBe('Paramètre inconnu : « tableur ». Paramètres acceptés : departement, format.');
    expect((await get(`/api/v1/zones/${zone.id}/readings.csv?sep=;`)).json().error).toBe('Paramètre inconnu : « sep ». Paramètres acceptés : format.');
    expect((await get('/api/v1/zones.geojson?format=tableur')).statusCode).toBe(400);
    expect((await get('/api/v1/zones.csv?format=tableur&departement=34')).statusCode).toBe(200);
  });
});
