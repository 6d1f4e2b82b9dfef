import { useState } from 'preact/hooks';
import { LEVEL_LABELS, readingLevel } from '../../domain/level.ts';
import { OPERATOR_LABELS } from '../../domain/operators.ts';
import { SETTING_LABELS, VOICE_LABELS } from '../../domain/reading.ts';
import { TECHNOLOGY_LABELS } from '../../domain/signal.ts';
import { announce } from '../../sync/channel.ts';
import { deleteReading, type OutboxRecord } from '../../store/outbox.ts';
import { describeCallTest, describeConnection, describeDataTest, describePosition, describeProbe, describeSmsTest } from '../evidence/describe-evidence.ts';
import { formatTime, plural } from '../format.ts';
import { refreshOutbox } from '../sync/outbox-state.ts';
import { CorrectionForm } from './CorrectionForm.tsx';

const STATE_LABELS = { pending: 'En attente', sent: 'Envoyé', refused: 'Refusé' } as const;

export function ReadingItem({ record }: { record: OutboxRecord }) {
  const [correcting, setCorrecting] = useState(false);
  const { reading } = record;
  const level = readingLevel(reading);
  const signal = reading.signalDbm !== undefined ? `${reading.signalDbm} dBm` : reading.signalBars !== undefined ? plural(reading.signalBars, 'barre') : '';

  const remove = async () => {
    const warning =
      record.state === 'pending'
        ? 'Ce relevé n’a pas encore été envoyé : le supprimer le perd définitivement. Supprimer ?'
        : 'Supprimer ce relevé refusé de l’appareil ?';
    if (!window.confirm(warning)) return;
    await deleteReading(record.id);
    announce({ type: 'outbox-changed', ids: [record.id] });
    await refreshOutbox([record.id]);
  };

  return (
    <li class={`reading ${record.state}`} data-state={record.state} data-recorded-at={new Date(reading.recordedAt).toISOString()}>
      <div class="reading-head">
        <span class={`level level-${level}`} title={LEVEL_LABELS[level]}>
          {level}
        </span>
        <span class="reading-what">
          {OPERATOR_LABELS[reading.operator]} · {TECHNOLOGY_LABELS[reading.technology]}
          {signal && ` · ${signal}`}
        </span>
        <span class={`state state-${record.state}`}>{STATE_LABELS[record.state]}</span>
      </div>
      <p class="reading-meta">
        {formatTime(reading.recordedAt)} · {SETTING_LABELS[reading.setting]}
        {reading.voice && reading.voice !== 'not-tested' && ` · ${VOICE_LABELS[reading.voice]}`} · ± {Math.round(reading.accuracyM)} m
        {reading.note && <> · « {reading.note} »</>}
      </p>
      <ReadingEvidence reading={reading} measuring={record.state === 'pending' && (record.heldUntil ?? 0) > Date.now()} />
      {record.state === 'refused' && record.refusal && (
        <div class="refusal">
          <p>Refusé par le serveur :</p>
          <ul>
            {record.refusal.errors.map((error, i) => (
              <li key={i}>{error.message}</li>
            ))}
          </ul>
        </div>
      )}
      {record.state !== 'sent' && !correcting && (
        <div class="actions">
          {record.state === 'refused' && (
            <button type="button" onClick={() => setCorrecting(true)}>
              Corriger
            </button>
          )}
          <button type="button" class="danger" onClick={() => void remove()}>
            Supprimer
          </button>
        </div>
      )}
      {correcting && <CorrectionForm record={record} onDone={() => setCorrecting(false)} />}
    </li>
  );
}

/** What the app measured itself for this reading: the evidence beside the agent's entries. */
function ReadingEvidence({ reading, measuring }: { reading: OutboxRecord['reading']; measuring: boolean }) {
  const lines = [
    reading.probe ? describeProbe(reading.probe) : measuring ? 'Mesure du réseau en cours…' : undefined,
    describeConnection(reading.connection, reading.probe),
    describePosition(reading),
    describeCallTest(reading),
    describeSmsTest(reading),
    describeDataTest(reading.dataTest),
  ].filter((line): line is string => line !== undefined);
  if (lines.length === 0) return null;
  return (
    <ul class="reading-evidence" aria-label="Preuves mesurées">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}
