import type Database from 'better-sqlite3';
import type { Campaign } from '../../../domain/campaign.ts';
import type { CampaignStore } from '../campaign-store.ts';
import { CAMPAIGN_COLUMNS, columnChanges, toCampaign, toCampaignGroup, type CampaignGroupRow } from '../rows.ts';
import { campaignRow, type SqliteCampaignRow } from './sqlite-rows.ts';

/**
 * The SQLite side of campaign-store.ts: tables `campaigns` and `campaign_agents`, and the
 * readings' `campaign_id` column (migration 5).
 */

// Newest periods first: the phone's picker shows the campaigns under way at the top.
const ORDER = 'ORDER BY c.starts_on DESC, c.created_at DESC, c.id';
const IN_DEPARTEMENT = '(@departement IS NULL OR c.departement = @departement)';

export function createSqliteCampaigns(db: Database.Database): CampaignStore {
  const insertCampaign = db.prepare(`
    INSERT INTO campaigns (id, name, commune, commune_name, departement, starts_on, ends_on, operators, test_number, protocol, max_accuracy_m, accuracy_rule, created_by, created_at, updated_at)
    VALUES (@id, @name, @communeInsee, @communeName, @departement, @startsOn, @endsOn, @operators, @testNumber, @protocol, @maxAccuracyM, @accuracyRule, @createdBy, @createdAt, @updatedAt)`);
  const insertAgent = db.prepare<[string, string, number]>('INSERT INTO campaign_agents (campaign_id, account_id, position) VALUES (?, ?, ?)');
  const deleteAgents = db.prepare<[string]>('DELETE FROM campaign_agents WHERE campaign_id = ?');
  const agentsOf = db.prepare<[string], string>('SELECT account_id FROM campaign_agents WHERE campaign_id = ? ORDER BY position').pluck();
  const byId = db.prepare<[string], SqliteCampaignRow>('SELECT * FROM campaigns WHERE id = ?');
  const listAll = db.prepare<{ departement: string | null }, SqliteCampaignRow>(`SELECT c.* FROM campaigns c WHERE ${IN_DEPARTEMENT} ${ORDER}`);
  const listForAgent = db.prepare<{ departement: string | null; accountId: string; communes: string }, SqliteCampaignRow>(`
    SELECT c.* FROM campaigns c
    WHERE ${IN_DEPARTEMENT}
      AND (c.id IN (SELECT campaign_id FROM campaign_agents WHERE account_id = @accountId)
        OR c.commune IN (SELECT value FROM json_each(@communes)))
    ${ORDER}`);
  const deleteCampaign = db.prepare<[string]>('DELETE FROM campaigns WHERE id = ?');
  const anyReading = db.prepare<[string], number>('SELECT 1 FROM readings WHERE campaign_id = ? LIMIT 1').pluck();
  const groups = db.prepare<[string], CampaignGroupRow>(`
    SELECT cell_n, cell_e, operator, technology, COUNT(*) AS readings FROM readings
    WHERE campaign_id = ? GROUP BY cell_n, cell_e, operator, technology`);
  const trackCount = db.prepare<[string], number>('SELECT COUNT(DISTINCT track_id) FROM readings WHERE campaign_id = ?').pluck();
  const lastReading = db
    .prepare<[string], string>('SELECT recorded_at FROM readings WHERE campaign_id = ? ORDER BY recorded_at_ms DESC, seq DESC LIMIT 1')
    .pluck();

  const toCampaignOf = (row: SqliteCampaignRow) => toCampaign(campaignRow(row), agentsOf.all(row.id));
  const read = (id: string) => {
    const row = byId.get(id);
    return row && toCampaignOf(row);
  };
  const assign = (id: string, agentIds: readonly string[]) => agentIds.forEach((agentId, position) => insertAgent.run(id, agentId, position));

  const create = db.transaction((campaign: Campaign) => {
    insertCampaign.run({ ...campaign, operators: JSON.stringify(campaign.operators), testNumber: campaign.testNumber ?? null });
    assign(campaign.id, campaign.agentIds);
  });
  const update = db.transaction((id: string, changes: Parameters<CampaignStore['updateCampaign']>[1]) => {
    if (!byId.get(id)) return undefined;
    const sets = columnChanges(CAMPAIGN_COLUMNS, changes);
    if (sets.length > 0) {
      db.prepare(`UPDATE campaigns SET ${sets.map(({ column }) => `${column} = ?`).join(', ')} WHERE id = ?`).run(...sets.map(({ value }) => value), id);
    }
    if (changes.agentIds !== undefined) {
      deleteAgents.run(id);
      assign(id, changes.agentIds);
    }
    return read(id);
  });
  // Checked and deleted in one transaction, so that no reading can slip in between.
  const remove = db.transaction((id: string) => {
    if (!byId.get(id)) return 'missing' as const;
    if (anyReading.get(id) !== undefined) return 'in-use' as const;
    deleteAgents.run(id);
    deleteCampaign.run(id);
    return 'deleted' as const;
  });

  return {
    async createCampaign(campaign) {
      create.immediate(campaign);
    },
    async campaignById(id) {
      return read(id);
    },
    async listCampaigns({ scope, departement }) {
      const inDepartement = scope.kind === 'departement' ? scope.departement : null;
      if (departement !== undefined && inDepartement !== null && departement !== inDepartement) return [];
      const filter = { departement: departement ?? inDepartement };
      const rows =
        scope.kind === 'agent' ? listForAgent.all({ ...filter, accountId: scope.accountId, communes: JSON.stringify(scope.communes) }) : listAll.all(filter);
      return rows.map(toCampaignOf);
    },
    async updateCampaign(id, changes) {
      return update.immediate(id, changes);
    },
    async deleteCampaign(id) {
      return remove.immediate(id);
    },
    async campaignTally(id) {
      const last = lastReading.get(id);
      return {
        groups: groups.all(id).map(toCampaignGroup),
        tracks: trackCount.get(id) ?? 0,
        ...(last !== undefined && { lastReadingAt: last }),
      };
    },
  };
}
