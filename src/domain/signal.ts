/**
 * Radio technologies and what their signal values mean.
 * Thresholds are Android's defaults (AOSP CarrierConfigManager), a product choice recorded in
 * docs/coverage-rules.md: a value at or above a bound earns that many bars.
 */
export const TECHNOLOGIES = ['none', '2G', '3G', '4G', '5G'] as const;
export type Technology = (typeof TECHNOLOGIES)[number];
export type RadioTechnology = Exclude<Technology, 'none'>;

export const TECHNOLOGY_LABELS: Record<Technology, string> = {
  none: 'Aucun réseau',
  '2G': '2G (GSM)',
  '3G': '3G (UMTS)',
  '4G': '4G (LTE)',
  '5G': '5G (NR)',
};

/** Lower bound (dBm) for 1, 2, 3 and 4 bars. */
export const BAR_THRESHOLDS_DBM: Record<RadioTechnology, readonly [number, number, number, number]> = {
  '2G': [-109, -103, -97, -89], // GSM RSSI
  '3G': [-115, -105, -95, -85], // UMTS RSCP
  '4G': [-128, -118, -108, -98], // LTE RSRP
  '5G': [-110, -90, -80, -65], // NR SS-RSRP
};

/** Values a handset can physically report; anything outside is a typing or import error. */
export const PLAUSIBLE_DBM: Record<RadioTechnology, { min: number; max: number; metric: string }> = {
  '2G': { min: -113, max: -51, metric: 'RSSI' },
  '3G': { min: -121, max: -25, metric: 'RSCP' },
  '4G': { min: -140, max: -43, metric: 'RSRP' },
  // 3GPP TS 38.133 reporting range for SS-RSRP.
  '5G': { min: -156, max: -31, metric: 'SS-RSRP' },
};

export type Bars = 0 | 1 | 2 | 3 | 4;

export function barsFromDbm(technology: RadioTechnology, dbm: number): Bars {
  const bounds = BAR_THRESHOLDS_DBM[technology];
  let bars = 0;
  for (const bound of bounds) if (dbm >= bound) bars += 1;
  return bars as Bars;
}
