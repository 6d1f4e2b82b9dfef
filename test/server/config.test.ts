import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.ts';

describe('loadConfig', () => {
  it('has defaults that serve Plan IGN on localhost:8080', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      host: '127.0.0.1',
      port: 8080,
      dataDir: resolve('data'),
      staticDir: resolve('dist'),
      tiles: {
        url: expect.stringContaining('LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2'),
        attribution: '© <a href="https://www.ign.fr/">IGN</a> – Plan IGN',
        maxZoom: 19,
      },
    });
    expect(config.tiles.url).toMatch(/TILEMATRIX=\{z\}&TILEROW=\{y\}&TILECOL=\{x\}/);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      HOST: '0.0.0.0',
      PORT: '3000',
      DATA_DIR: '/var/lib/couverture',
      STATIC_DIR: '/srv/couverture',
      TILE_URL: 'https://tile.example/{z}/{x}/{y}.png',
      TILE_ATTRIBUTION: '© exemple',
      TILE_MAX_ZOOM: '17',
    });
    expect(config).toEqual({
      host: '0.0.0.0',
      port: 3000,
      dataDir: '/var/lib/couverture',
      staticDir: '/srv/couverture',
      tiles: { url: 'https://tile.example/{z}/{x}/{y}.png', attribution: '© exemple', maxZoom: 17 },
    });
  });

  it('accepts tiles served from this server', () => {
    expect(loadConfig({ TILE_URL: '/tuiles/{z}/{x}/{y}.png' }).tiles.url).toBe('/tuiles/{z}/{x}/{y}.png');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT=« abc » : attendu un entier de 0 à 65535'],
    [{ PORT: '70000' }, 'PORT=« 70000 »'],
    [{ PORT: '80.5' }, 'PORT=« 80.5 »'],
    [{ TILE_MAX_ZOOM: '30' }, 'TILE_MAX_ZOOM=« 30 »'],
    [{ TILE_URL: 'https://tile.example/{z}/{x}.png' }, 'il manque {y}'],
    [{ TILE_URL: 'ftp://tile.example/{z}/{x}/{y}.png' }, 'http(s)'],
    [{ HOST: ' ' }, 'HOST est vide'],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('lists every problem at once', () => {
    expect(() => loadConfig({ PORT: '-1', TILE_MAX_ZOOM: 'max' })).toThrow(/PORT=.*\n- TILE_MAX_ZOOM=/);
  });
});
