import { OPERATOR_PLMNS, OPERATORS, type Operator } from '../operators.ts';
import type { Refusal } from './import-row.ts';

const FRANCE_MCC = 208;

const OPERATOR_BY_PLMN = new Map<string, Operator>(OPERATORS.flatMap((operator) => OPERATOR_PLMNS[operator].map((plmn) => [plmn, operator] as const)));

/**
 * The French operator broadcasting a PLMN (DOMAIN.md's table). Apps write the MNC as a
 * number ("1" for 01); French MNCs all have two digits, so it is padded back.
 */
export function operatorFromPlmn(mccText: string | undefined, mncText: string | undefined): { operator: Operator; mcc: number; mnc: string } | Refusal {
  const mccRaw = mccText?.trim() ?? '';
  const mncRaw = mncText?.trim() ?? '';
  if (!/^\d{1,3}$/.test(mccRaw)) return { code: 'plmn', reason: mccRaw ? `MCC illisible : « ${mccRaw} »` : 'MCC manquant : réseau non identifié' };
  const mcc = Number(mccRaw);
  if (mcc !== FRANCE_MCC) return { code: 'foreign', reason: `Réseau d’un autre pays (MCC ${mccRaw}) : seuls les réseaux français (208) comptent` };
  if (!/^\d{1,3}$/.test(mncRaw)) return { code: 'plmn', reason: mncRaw ? `MNC illisible : « ${mncRaw} »` : 'MNC manquant : opérateur non identifié' };
  const mnc = String(Number(mncRaw)).padStart(2, '0');
  const operator = OPERATOR_BY_PLMN.get(`${FRANCE_MCC}-${mnc}`);
  if (!operator) return { code: 'plmn', reason: `PLMN 208-${mnc} inconnu : ni Orange, ni SFR, ni Free Mobile, ni Bouygues Telecom` };
  return { operator, mcc, mnc };
}
