import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReadingsOrClustersAnswerSchema, ZonesAnswerSchema } from '../../src/domain/api/index.ts';
import { api, ApiError } from '../../src/app/shell/api.ts';

function answering(status: number, body?: unknown): void {
  vi.stubGlobal(
    'fetch',
    async () => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('api(path, schema): the page parses what it receives by the contract', () => {
  it('answers the parsed body, without fields the contract does not know', async () => {
    answering(200, { zones: [], added: 'plus tard' });
    expect(await api('/api/v1/zones', ZonesAnswerSchema)).toEqual({ zones: [] });
  });

  it('refuses an answer that strays from it with a French message naming the field', async () => {
    answering(200, { zones: [{ id: 'z1' }] });
    const refused = api('/api/v1/zones', ZonesAnswerSchema);
    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(refused).rejects.toThrow(/^Réponse inattendue du serveur \(\/api\/v1\/zones, champ « zones\.0\.departement »/);
  });

  it('still answers undefined for a 204, and the server’s refusal as an ApiError', async () => {
    answering(204);
    expect(await api('/api/v1/zones/z1', ZonesAnswerSchema, { method: 'DELETE' })).toBeUndefined();
    answering(403, { error: 'Cette zone est hors de votre département' });
    await expect(api('/api/v1/zones/z1', ZonesAnswerSchema)).rejects.toMatchObject({ status: 403, message: 'Cette zone est hors de votre département' });
  });

  it('parses the map’s clusters by their properties, as it parses points', async () => {
    const cluster = {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [3.5, 43.7] },
      properties: { key: '11/1043/748', count: 3, byLevel: { TBC: 0, BC: 1, CL: 1, PC: 1 } },
    };
    answering(200, { type: 'FeatureCollection', clustered: true, features: [cluster] });
    const answer = await api('/api/v1/readings?zoom=11', ReadingsOrClustersAnswerSchema);
    expect('clustered' in answer && answer.features[0]!.properties.count).toBe(3);
    answering(200, { type: 'FeatureCollection', clustered: true, features: [{ ...cluster, properties: { key: '11/1043/748' } }] });
    await expect(api('/api/v1/readings?zoom=11', ReadingsOrClustersAnswerSchema)).rejects.toThrow(/^Réponse inattendue du serveur/);
  });
});
