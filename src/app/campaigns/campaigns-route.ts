/**
 * `#campagnes` → the list; `#campagnes/nouvelle` → the form; `#campagnes/<id>` → the
 * campaign's progress; `#campagnes/<id>/modifier` → its form. Ids are UUIDs, never « nouvelle ».
 */
export type CampaignsRoute = { page: 'list' } | { page: 'new' } | { page: 'progress'; id: string } | { page: 'edit'; id: string };

export function parseCampaignsRoute(hash: string): CampaignsRoute {
  const match = /^#campagnes\/([^/?]+)(?:\/(modifier))?\/?$/.exec(hash);
  if (!match) return { page: 'list' };
  if (match[1] === 'nouvelle' && !match[2]) return { page: 'new' };
  let id: string;
  try {
    id = decodeURIComponent(match[1]!);
  } catch {
    return { page: 'list' };
  }
  return match[2] ? { page: 'edit', id } : { page: 'progress', id };
}

export const NEW_CAMPAIGN_HASH = '#campagnes/nouvelle';
export const progressHash = (id: string) => `#campagnes/${encodeURIComponent(id)}`;
export const editHash = (id: string) => `#campagnes/${encodeURIComponent(id)}/modifier`;
