import { PLAUSIBLE_DBM, type RadioTechnology } from '../signal.ts';
import { numberField, type Refusal } from './import-row.ts';

/**
 * The signal in whole dBm from the first column that holds one (the technology's own metric
 * first, then Android's generic `dbm`), refused when missing or outside what a handset reports.
 */
export function signalField(technology: RadioTechnology, candidates: readonly (readonly [column: string, text: string | undefined])[]): number | Refusal {
  const { min, max, metric } = PLAUSIBLE_DBM[technology];
  for (const [, text] of candidates) {
    const value = numberField(text);
    if (value === undefined) continue;
    const dbm = Math.round(value);
    if (dbm < min || dbm > max)
      return { code: 'signal-range', reason: `Signal hors plage plausible : ${dbm} dBm (${metric} en ${technology} : de ${min} à ${max} dBm)` };
    return dbm;
  }
  return { code: 'signal', reason: `Signal manquant : aucune valeur dans ${candidates.map(([column]) => column).join(' ni ')}` };
}
