import type { OperatorFiguresAnswer, ProtocolFiguresAnswer } from '../../domain/api/index.ts';
import { PROTOCOL_LABELS, THROUGHPUT_CLASS_LABELS, THROUGHPUT_CLASSES } from '../../domain/protocol.ts';

/**
 * The statistics behind a verdict in words, for the cell panel and the printed dossier:
 * « taux de réussite des appels : 82 % [70–90 %] sur 40 appels conformes ». Each proportion
 * with its interval (docs/coverage-rules.md, « Statistics »).
 */

type Proportion = NonNullable<OperatorFiguresAnswer['coverage']>;
type Side = NonNullable<OperatorFiguresAnswer['coverageSide']>;

const pct = (share: number) => Math.round(share * 100);

/** « 82 % [70–90 %] »: the rate, then its interval. */
export function rateWithInterval(p: Proportion): string {
  return `${pct(p.rate)} % [${pct(p.low)}–${pct(p.high)} %]`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/**
 * « relevés en BC ou mieux : 100 % [51–100 %] sur 4 relevés — au-dessus du seuil ». The
 * thresholds are the deployment's (VERDICT_*_PERCENT): named, not restated as numbers here.
 */
export function coverageLine(figures: OperatorFiguresAnswer): string | null {
  const { coverage, coverageSide } = figures;
  if (!coverage) return null;
  return `relevés en BC ou mieux : ${rateWithInterval(coverage)} sur ${plural(coverage.trials, 'relevé', 'relevés')} — ${sideText(coverageSide)}`;
}

export function noCoverageLine(figures: OperatorFiguresAnswer): string | null {
  return figures.noCoverage && figures.noCoverage.successes > 0 ? `relevés sans couverture (PC) : ${rateWithInterval(figures.noCoverage)}` : null;
}

function sideText(side: Side | null): string {
  if (side === 'above') return 'au-dessus du seuil : couvre';
  if (side === 'below') return 'au-dessous du seuil : ne couvre pas';
  return 'de part et d’autre du seuil : insuffisant';
}

/** The lines of one protocol's conforming tests, in the order Arcep lists them. */
export function protocolLines(figures: ProtocolFiguresAnswer): string[] {
  const lines: string[] = [];
  const { calls, sms, upload, page, downloadAbove8 } = figures;
  if (calls) {
    const partial = figures.partialCalls > 0 ? `, dont ${plural(figures.partialCalls, 'tenu', 'tenus')} avec une voix dégradée` : '';
    const goal = figures.callSide === 'above' ? 'atteint' : figures.callSide === 'below' ? 'non atteint' : 'indécis';
    lines.push(
      `taux de réussite des appels : ${rateWithInterval(calls)} sur ${plural(calls.trials, 'appel conforme', 'appels conformes')}${partial} (objectif : ${goal})`,
    );
  }
  if (sms) lines.push(`SMS reçus${figures.protocol === 'qos' ? ' en 10 s' : ''} : ${rateWithInterval(sms)} sur ${plural(sms.trials, 'SMS', 'SMS')}`);
  if (upload) lines.push(`fichier de 1 Mo envoyé en moins de 30 s : ${rateWithInterval(upload)} sur ${plural(upload.trials, 'essai', 'essais')}`);
  if (page) lines.push(`page chargée en 10 s : ${rateWithInterval(page)} sur ${plural(page.trials, 'essai', 'essais')}`);
  if (downloadAbove8) {
    const classes = THROUGHPUT_CLASSES.filter((bucket) => figures.download[bucket] > 0)
      .map((bucket) => `${THROUGHPUT_CLASS_LABELS[bucket]} : ${figures.download[bucket]}`)
      .join(', ');
    lines.push(`débit au-delà de 8 Mbit/s : ${rateWithInterval(downloadAbove8)} sur ${plural(downloadAbove8.trials, 'essai', 'essais')} (${classes})`);
  }
  if (figures.offline > 0) lines.push(`tests de données impossibles, appareil hors ligne : ${figures.offline}`);
  return lines;
}

export function protocolTitle(figures: ProtocolFiguresAnswer): string {
  return PROTOCOL_LABELS[figures.protocol];
}
