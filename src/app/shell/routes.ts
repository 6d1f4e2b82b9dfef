/** The tab part of a hash: `#couverture?operator=sfr` → `#couverture`, `#zones/z1/dossier` → `#zones`. */
export function tabOf(hash: string): string {
  return /^#[^?/]*/.exec(hash)?.[0] ?? '';
}
