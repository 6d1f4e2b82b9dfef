const kilometres = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "0,45 km": a track is counted in kilometres, to ten metres. */
export function formatDistance(metres: number): string {
  return `${kilometres.format(metres / 1000)} km`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "45 s", "12 min 03 s", "1 h 05 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours > 0) return `${hours} h ${pad(minutes)} min`;
  if (minutes > 0) return `${minutes} min ${pad(seconds % 60)} s`;
  return `${seconds} s`;
}
