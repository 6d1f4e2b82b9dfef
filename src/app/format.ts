import { dayParts } from '../domain/calendar-day.ts';
import { onFirstUse } from './on-first-use.ts';

const sameDay = onFirstUse(() => new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' }));
const otherDay = onFirstUse(() => new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }));

/** "14:05" today, "3 mai 14:05" otherwise. */
export function formatTime(at: number | string): string {
  const date = new Date(at);
  return date.toDateString() === new Date().toDateString() ? sameDay().format(date) : otherDay().format(date);
}

/**
 * French agreement with a count: « 0 relevé », « 1 relevé », « 2 relevés », « 1 500 relevés »
 * (French keeps the singular below 2). `many` defaults to `one` + « s »; give it for
 * irregular words or whole phrases (« relevé reste » / « relevés restent »).
 */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('fr-FR')} ${isPlural(count) ? many : one}`;
}

/** Whether French takes the plural for `count` (2 and more; 0 and 1 take the singular). */
export function isPlural(count: number): boolean {
  return Math.abs(count) >= 2;
}

/** Picks the singular or plural form for `count`, without writing the count. */
export function agree(count: number, one: string, many: string): string {
  return isPlural(count) ? many : one;
}

const dayFormat = onFirstUse(() => new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric' }));
const dayNoYearFormat = onFirstUse(() => new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long' }));

/**
 * Two calendar days as a period, in the device's time zone: « le 4 décembre 2026 » when they
 * are the same day, « du 4 mai au 18 juin 2026 » in one year, « du 20 décembre 2026 au
 * 5 janvier 2027 » across years.
 */
export function formatDayRange(first: Date, last: Date): string {
  if (dayFormat().format(first) === dayFormat().format(last)) return `le ${dayFormat().format(first)}`;
  const sameYear = first.getFullYear() === last.getFullYear();
  return `du ${(sameYear ? dayNoYearFormat : dayFormat)().format(first)} au ${dayFormat().format(last)}`;
}

/** A period of calendar days written YYYY-MM-DD (a campaign's), as formatDayRange words it. */
export function formatIsoDayRange(firstDay: string, lastDay: string): string {
  return formatDayRange(localMidnight(firstDay), localMidnight(lastDay));
}

function localMidnight(day: string): Date {
  const [year, month, date] = dayParts(day);
  return new Date(year, month - 1, date);
}
