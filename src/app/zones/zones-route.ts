/** `#zones` → the list; `#zones/<id>/dossier` → the zone's printable dossier. */
export function parseZonesRoute(hash: string): { dossier?: string } {
  const match = /^#zones\/([^/?]+)\/dossier\/?$/.exec(hash);
  if (!match) return {};
  try {
    return { dossier: decodeURIComponent(match[1]!) };
  } catch {
    return {};
  }
}
