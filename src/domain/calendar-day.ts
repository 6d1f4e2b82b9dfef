/**
 * The year, month (1–12) and day of a `YYYY-MM-DD` day, as numbers. A malformed day gives
 * NaN where a part is missing, as reading the missing part of the split would.
 */
export function dayParts(day: string): [year: number, month: number, date: number] {
  const [year = Number.NaN, month = Number.NaN, date = Number.NaN] = day.split('-').map(Number);
  return [year, month, date];
}
