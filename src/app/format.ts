const sameDay = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' });
const otherDay = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** "14:05" today, "3 mai 14:05" otherwise. */
export function formatTime(at: number | string): string {
  const date = new Date(at);
  return date.toDateString() === new Date().toDateString() ? sameDay.format(date) : otherDay.format(date);
}
