import type pg from 'pg';
import type { CampaignStore } from '../campaign-store.ts';
import { CAMPAIGN_COLUMNS, columnChanges, toCampaign, toCampaignGroup, type CampaignGroupRow, type CampaignRow } from '../rows.ts';
import { inTransaction, type Queryable } from './postgres-db.ts';

/**
 * The PostgreSQL side of campaign-store.ts: tables `campaigns` and `campaign_agents`, and the
 * readings' `campaign_id`, `cell_n`/`cell_e` and `track_id` columns (migration 1).
 */

/** A campaign with its agents' ids, in their order. */
type CampaignWithAgents = CampaignRow & { agent_ids: string[] };

// As SQLite's list: newest periods first (the phone's picker shows the campaigns under way at
// the top), text in byte order whatever the database's collation.
const ORDER = 'ORDER BY c.starts_on COLLATE "C" DESC, c.created_at COLLATE "C" DESC, c.id COLLATE "C"';
const AGENTS = `COALESCE((SELECT jsonb_agg(a.account_id ORDER BY a.position) FROM campaign_agents a WHERE a.campaign_id = c.id), '[]') AS agent_ids`;
/** $1: a département to keep, or null for all. */
const IN_DEPARTEMENT = '($1::text IS NULL OR c.departement = $1)';

const read = async (db: Queryable, id: string) => {
  const { rows } = await db.query<CampaignWithAgents>(`SELECT c.*, ${AGENTS} FROM campaigns c WHERE c.id = $1`, [id]);
  return rows[0] && toCampaign(rows[0], rows[0].agent_ids);
};

const assign = async (db: Queryable, id: string, agentIds: readonly string[]) => {
  if (agentIds.length === 0) return;
  await db.query(
    'INSERT INTO campaign_agents (campaign_id, account_id, position) SELECT $1, agent, position - 1 FROM unnest($2::text[]) WITH ORDINALITY AS a (agent, position)',
    [id, agentIds],
  );
};

export function createPostgresCampaigns(pool: pg.Pool): CampaignStore {
  return {
    async createCampaign(campaign) {
      await inTransaction(pool, async (client) => {
        await client.query(
          `INSERT INTO campaigns (id, name, commune, commune_name, departement, starts_on, ends_on, operators, test_number, created_by, created_at, updated_at, protocol, max_accuracy_m, accuracy_rule)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
          [
            campaign.id,
            campaign.name,
            campaign.communeInsee,
            campaign.communeName,
            campaign.departement,
            campaign.startsOn,
            campaign.endsOn,
            JSON.stringify(campaign.operators),
            campaign.testNumber ?? null,
            campaign.createdBy,
            campaign.createdAt,
            campaign.updatedAt,
            campaign.protocol,
            campaign.maxAccuracyM,
            campaign.accuracyRule,
          ],
        );
        await assign(client, campaign.id, campaign.agentIds);
      });
    },
    campaignById(id) {
      return read(pool, id);
    },
    async listCampaigns({ scope, departement }) {
      const inDepartement = scope.kind === 'departement' ? scope.departement : null;
      if (departement !== undefined && inDepartement !== null && departement !== inDepartement) return [];
      const filter = departement ?? inDepartement;
      const { rows } =
        scope.kind === 'agent'
          ? await pool.query<CampaignWithAgents>(
              `SELECT c.*, ${AGENTS} FROM campaigns c
               WHERE ${IN_DEPARTEMENT}
                 AND (c.id IN (SELECT campaign_id FROM campaign_agents WHERE account_id = $2) OR c.commune = ANY ($3::text[]))
               ${ORDER}`,
              [filter, scope.accountId, scope.communes],
            )
          : await pool.query<CampaignWithAgents>(`SELECT c.*, ${AGENTS} FROM campaigns c WHERE ${IN_DEPARTEMENT} ${ORDER}`, [filter]);
      return rows.map((row) => toCampaign(row, row.agent_ids));
    },
    async updateCampaign(id, changes) {
      return inTransaction(pool, async (client) => {
        // The row lock orders this against another process's update or deletion of the same
        // campaign: the later one finds it changed, or gone (undefined), never half-written.
        const found = await client.query('SELECT 1 FROM campaigns WHERE id = $1 FOR UPDATE', [id]);
        if (found.rowCount === 0) return undefined;
        const sets = columnChanges(CAMPAIGN_COLUMNS, changes);
        const values = [id, ...sets.map(({ value }) => value)];
        if (sets.length > 0)
          await client.query(`UPDATE campaigns SET ${sets.map(({ column }, i) => `${column} = $${i + 2}`).join(', ')} WHERE id = $1`, values);
        if (changes.agentIds !== undefined) {
          await client.query('DELETE FROM campaign_agents WHERE campaign_id = $1', [id]);
          await assign(client, id, changes.agentIds);
        }
        return read(client, id);
      });
    },
    async deleteCampaign(id) {
      // What is guaranteed: no reading committed before this transaction's check carries the
      // id once it is deleted. What is not: readings carry a campaign's id with no foreign key
      // (a phone keeps recording for a campaign offline, and may send them after it is
      // deleted), so a reading another process commits during or after this deletion is
      // stored all the same, as SQLite stores one sent a second later; campaignTally still
      // counts it. Locking the readings table would only narrow that window, at the cost of
      // stalling every process's ingest.
      return inTransaction(pool, async (client) => {
        const found = await client.query('SELECT 1 FROM campaigns WHERE id = $1 FOR UPDATE', [id]);
        if (found.rowCount === 0) return 'missing' as const;
        const used = await client.query('SELECT 1 FROM readings WHERE campaign_id = $1 LIMIT 1', [id]);
        if ((used.rowCount ?? 0) > 0) return 'in-use' as const;
        await client.query('DELETE FROM campaign_agents WHERE campaign_id = $1', [id]);
        await client.query('DELETE FROM campaigns WHERE id = $1', [id]);
        return 'deleted' as const;
      });
    },
    async campaignTally(id) {
      // One statement, so that the groups, the tracks and the last date describe the same readings.
      const { rows } = await pool.query<{
        groups: CampaignGroupRow[];
        tracks: number;
        last: string | null;
      }>(
        `WITH tagged AS (SELECT * FROM readings WHERE campaign_id = $1)
         SELECT
           COALESCE((SELECT jsonb_agg(to_jsonb(g) ORDER BY g.cell_n NULLS FIRST, g.cell_e NULLS FIRST, g.operator COLLATE "C", g.technology COLLATE "C")
                     FROM (SELECT cell_n, cell_e, operator, technology, count(*) AS readings FROM tagged
                           GROUP BY cell_n, cell_e, operator, technology) g), '[]') AS groups,
           (SELECT count(DISTINCT track_id) FROM tagged) AS tracks,
           (SELECT recorded_at FROM tagged ORDER BY recorded_at_ms DESC, seq DESC LIMIT 1) AS last`,
        [id],
      );
      const { groups, tracks, last } = rows[0]!;
      return {
        groups: groups.map(toCampaignGroup),
        tracks,
        ...(last !== null && { lastReadingAt: last }),
      };
    },
  };
}
