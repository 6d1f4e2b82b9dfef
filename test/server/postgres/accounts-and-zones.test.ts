import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../src/domain/campaign.ts';
import type { Zone, ZoneHistoryEntry } from '../../../src/domain/zone.ts';
import { DuplicateEmailError, type UserRecord } from '../../../src/server/storage/account-store.ts';
import { withClient } from '../../support/test-store.ts';
import { useTempDir } from '../fixtures.ts';
import { useStores } from './stores.ts';

/**
 * The account, zone and campaign stores where PostgreSQL differs from SQLite: several app
 * processes write at once (here two stores, two pools, on one schema), and the database's own
 * collation could reorder lists.
 */

const { open, twoProcesses } = useStores(useTempDir());

const AT = '2026-05-04T12:00:00.000Z';

function user(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: randomUUID(),
    email: `${randomUUID()}@example.fr`,
    name: 'Personne',
    passwordHash: 'scrypt$1024$8$1$sel$clé',
    role: 'reviewer',
    communes: [],
    departement: '34',
    disabled: false,
    mustChangePassword: false,
    createdAt: AT,
    updatedAt: AT,
    ...overrides,
  };
}

let zonesMade = 0;
/** A zone on a cell of its own: a cell is in one open zone only. */
function zone(overrides: Partial<Omit<Zone, 'history' | 'followUp'>> = {}): Omit<Zone, 'history' | 'followUp'> {
  return {
    id: randomUUID(),
    departement: '34',
    name: 'Vallée',
    cells: [`CRS3035RES200mN${2300000 + 200 * zonesMade++}E3800000`],
    need: 'habitations',
    communes: ['34261'],
    status: 'a-etudier',
    createdAt: AT,
    updatedAt: AT,
    ...overrides,
  };
}

const created = (by: { id: string; name: string }): ZoneHistoryEntry => ({ at: AT, by, from: null, to: 'a-etudier', reason: 'Création' });

function campaign(createdBy: string, overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: randomUUID(),
    name: 'Printemps',
    communeInsee: '34261',
    communeName: 'Saint-Guilhem-le-Désert',
    departement: '34',
    startsOn: '2026-05-01',
    endsOn: '2026-05-31',
    operators: ['orange', 'sfr'],
    protocol: 'map-check',
    maxAccuracyM: 50,
    accuracyRule: 'warn',
    agentIds: [],
    createdBy,
    createdAt: AT,
    updatedAt: AT,
    ...overrides,
  };
}

/** Settles every promise; answers how many fulfilled and the rejections. */
async function settle<T>(work: Promise<T>[]): Promise<{ values: T[]; errors: unknown[] }> {
  const results = await Promise.allSettled(work);
  return {
    values: results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])),
    errors: results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : [])),
  };
}

const ROUNDS = 10;

describe('two app processes on one PostgreSQL database', () => {
  it('move one zone at once: exactly one wins, and the history has its move only', async () => {
    const [a, b] = await twoProcesses();
    const reviewer = user();
    await a.createUser(reviewer);
    const by = { id: reviewer.id, name: reviewer.name };
    // Several rounds, so that the two moves really meet on the row at least once.
    for (let round = 0; round < ROUNDS; round += 1) {
      const z = zone();
      await a.createZone(z, created(by));
      const moves = [
        a.moveZone(z.id, { at: '2026-05-05T08:00:00.000Z', by, from: 'a-etudier', to: 'retenue', reason: 'Habitations sans réseau' }),
        b.moveZone(z.id, { at: '2026-05-05T08:00:00.001Z', by, from: 'a-etudier', to: 'ecartee', reason: 'Déjà couverte' }),
      ];
      const outcomes = await Promise.all(moves);
      expect(outcomes.toString()).toMatch(/^(true,false|false,true)$/);
      const winner = outcomes[0] ? 'retenue' : 'ecartee';
      for (const store of [a, b]) {
        const stored = await store.zoneById(z.id);
        expect(stored?.status).toBe(winner);
        expect(stored?.history.map((entry) => [entry.from, entry.to])).toEqual([
          [null, 'a-etudier'],
          ['a-etudier', winner],
        ]);
      }
    }
  });

  it('create one e-mail at once: one account, and DuplicateEmailError for the other', async () => {
    const [a, b] = await twoProcesses();
    for (let round = 0; round < ROUNDS; round += 1) {
      const email = `mairie-${round}@example.fr`;
      const { values, errors } = await settle([a.createUser(user({ email, name: 'A' })), b.createUser(user({ email, name: 'B' }))]);
      expect(values).toHaveLength(1);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(DuplicateEmailError);
    }
    expect((await b.listUsers()).map((u) => u.email)).toHaveLength(ROUNDS);
  });

  it('change and delete one campaign at once: it ends deleted with no agents left, or changed then deleted', async () => {
    const [a, b, first] = await twoProcesses();
    const reviewer = user();
    const agents = [user({ role: 'agent', departement: null, communes: ['34261'] }), user({ role: 'agent', departement: null, communes: ['34261'] })];
    for (const account of [reviewer, ...agents]) await a.createUser(account);
    for (let round = 0; round < ROUNDS; round += 1) {
      const c = campaign(reviewer.id, { agentIds: [agents[0]!.id] });
      await a.createCampaign(c);
      const [updated, deletion] = await Promise.all([
        a.updateCampaign(c.id, { name: 'Été', agentIds: [agents[1]!.id, agents[0]!.id], updatedAt: '2026-05-05T08:00:00.000Z' }),
        b.deleteCampaign(c.id),
      ]);
      // Whichever came second saw the first's work whole: an update after the deletion finds nothing.
      expect(deletion).toBe('deleted');
      if (updated) expect(updated.agentIds).toEqual([agents[1]!.id, agents[0]!.id]);
      expect(await a.campaignById(c.id)).toBeUndefined();
    }
    const { location } = first;
    if (location.kind !== 'postgres') throw new Error('PostgreSQL expected');
    const left = await withClient(location.url, (client) => client.query('SELECT count(*)::int AS n FROM campaign_agents'));
    expect(left.rows).toEqual([{ n: 0 }]);
  });
});

describe('the PostgreSQL store lists as the SQLite store does', () => {
  it('in byte order whatever the database’s collation, and changes only the fields given', async () => {
    const postgres = await open('postgres');
    const sqlite = await open('sqlite');
    // A database created with a French collation: ICU's fr ignores punctuation at first, byte order does not.
    if (postgres.location.kind !== 'postgres') throw new Error('PostgreSQL expected');
    await withClient(postgres.location.url, (client) => client.query('ALTER TABLE users ALTER COLUMN email TYPE text COLLATE "fr-x-icu"'));

    // Where ICU's French and byte order disagree: '_' before '-' and '.', 'é' next to 'e' rather than after 'z'.
    const emails = ['f@example.fr', 'a.b@example.fr', 'éa@example.fr', 'a_b@example.fr', 'a-b@example.fr'];
    const users = emails.map((email, index) => user({ id: `u${index}`, email }));
    const by = { id: 'u0', name: 'Personne' };
    const zones = ['z-b', 'z.a', 'zA', 'z_c'].map((id) => zone({ id }));
    const campaigns = ['c-b', 'c.a', 'cA'].map((id) => campaign('u0', { id, startsOn: '2026-05-01' }));
    const lists = [];
    for (const { store } of [postgres, sqlite]) {
      for (const account of users) await store.createUser(account);
      for (const [index, name] of ['jeton-b', 'jeton.a', 'jetonA'].entries()) {
        await store.createApiToken({ id: name, userId: 'u0', name, tokenHash: `hash-${index}`, createdAt: AT, lastUsedAt: null, expiresAt: null });
      }
      for (const z of zones) await store.createZone(z, created(by));
      for (const c of campaigns) await store.createCampaign(c);
      await store.appendAudit({
        at: AT,
        actorId: null,
        actorLabel: 'ligne de commande',
        action: 'user.create',
        targetType: 'user',
        targetId: 'u0',
        details: { role: 'reviewer', communes: ['34261'], note: 'é' },
      });
      await store.appendAudit({ at: AT, actorId: 'u0', actorLabel: 'f@example.fr', action: 'zone.create', targetType: 'zone', targetId: 'z-b', details: {} });

      // Only the fields given change: the name stays, the password and communes move.
      const updated = await store.updateUser('u1', {
        passwordHash: 'scrypt$autre',
        communes: ['34172', '34010'],
        disabled: true,
        updatedAt: '2026-05-06T00:00:00.000Z',
      });
      expect(updated).toEqual({
        ...users[1],
        passwordHash: 'scrypt$autre',
        communes: ['34172', '34010'],
        disabled: true,
        updatedAt: '2026-05-06T00:00:00.000Z',
      });
      expect(await store.updateUser('absent', { name: 'x', updatedAt: AT })).toBeUndefined();

      lists.push({
        users: (await store.listUsers()).map((u) => u.email),
        tokens: (await store.listApiTokens('u0')).map((t) => t.id),
        zones: (await store.listZones('34')).map((z) => z.id),
        campaigns: (await store.listCampaigns({ scope: { kind: 'all' } })).map((c) => c.id),
        audit: await store.listAudit(10),
      });
    }
    expect(lists[0]).toEqual(lists[1]);
    // Byte order, as JavaScript compares strings: what SQLite gives.
    expect(lists[0]!.users).toEqual(['a-b@example.fr', 'a.b@example.fr', 'a_b@example.fr', 'f@example.fr', 'éa@example.fr']);
  });

  it('keeps an audit entry whose details jsonb could not hold as they are (U+0000, a lone surrogate)', async () => {
    const { store } = await open('postgres');
    await store.appendAudit({
      at: AT,
      actorId: null,
      actorLabel: 'ligne de commande',
      action: 'zone.create',
      targetType: 'zone',
      targetId: 'z',
      details: { name: 'a\u0000b\uD800c\uD83D\uDCF6', cells: 2 },
    });
    expect((await store.listAudit(1))[0]?.details).toEqual({ name: 'a\uFFFDb\uFFFDc\uD83D\uDCF6', cells: 2 });
  });
});
