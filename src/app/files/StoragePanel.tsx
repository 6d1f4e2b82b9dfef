import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_SENT_RETENTION_DAYS, SENT_RETENTION_CHOICES, readSentRetentionDays, writeSentRetentionDays } from '../../store/sent-retention.ts';
import { pruneSentReadings } from '../sync/outbox-state.ts';

interface StorageFacts {
  usage?: number;
  quota?: number;
  persisted?: boolean;
}

const megabytes = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const mo = (bytes: number) => `${megabytes.format(bytes / 1_000_000)} Mo`;

/** How full the browser's storage for this site is, and whether it may evict it under pressure. */
export function StoragePanel({ refreshKey }: { refreshKey: number }) {
  const [facts, setFacts] = useState<StorageFacts>();
  useEffect(() => {
    let live = true;
    void (async () => {
      const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
      const persisted = await navigator.storage?.persisted?.().catch(() => undefined);
      if (live)
        setFacts({
          ...(estimate?.usage !== undefined && { usage: estimate.usage }),
          ...(estimate?.quota !== undefined && { quota: estimate.quota }),
          ...(persisted !== undefined && { persisted }),
        });
    })();
    return () => {
      live = false;
    };
  }, [refreshKey]);
  if (!facts) return null;
  return (
    <div class="storage" aria-label="Stockage de l’appareil" role="group">
      <SentRetention />
      {facts.usage !== undefined && facts.quota !== undefined ? (
        <p>
          Stockage utilisé : {mo(facts.usage)} sur {mo(facts.quota)}
        </p>
      ) : (
        <p>Ce navigateur ne dit pas combien de place il accorde.</p>
      )}
      {facts.persisted !== undefined && (
        <p class="hint">
          {facts.persisted
            ? 'Stockage persistant : le navigateur ne l’effacera pas de lui-même.'
            : 'Stockage non persistant : le navigateur peut l’effacer s’il manque de place. Exportez les relevés non envoyés avant de libérer de la place.'}
        </p>
      )}
    </div>
  );
}

const retentionLabel = (days: number) => (days === 0 ? 'jamais (les garder)' : days === 365 ? 'après 1 an' : `après ${days} jours`);

/**
 * How long readings the server acknowledged stay here: deleted at the next start once older
 * (src/app/sync/outbox-state.ts), never one waiting or refused. Said where the agent exports.
 */
function SentRetention() {
  const [days, setDays] = useState<number>();
  useEffect(() => {
    let live = true;
    void readSentRetentionDays().then((stored) => live && setDays(stored));
    return () => {
      live = false;
    };
  }, []);
  if (days === undefined) return null;
  const choose = async (value: number) => {
    await writeSentRetentionDays(value);
    setDays(value);
    await pruneSentReadings();
  };
  return (
    <div class="sent-retention">
      <label>
        Effacer de l’appareil les relevés envoyés{' '}
        <select value={days} onChange={(event) => void choose(Number((event.target as HTMLSelectElement).value))}>
          {SENT_RETENTION_CHOICES.map((choice) => (
            <option key={choice} value={choice}>
              {retentionLabel(choice)}
              {choice === DEFAULT_SENT_RETENTION_DAYS ? ' (par défaut)' : ''}
            </option>
          ))}
        </select>
      </label>
      <p class="hint">
        {days === 0
          ? 'Les relevés envoyés restent sur l’appareil.'
          : `Un relevé reçu par le serveur depuis plus de ${days === 365 ? 'un an' : `${days} jours`} est effacé de l’appareil au démarrage de l’application (le serveur le garde). Les relevés non envoyés ou refusés ne sont jamais effacés. Pour garder une copie sur l’appareil, exportez vos relevés avant (ci-dessus).`}
      </p>
    </div>
  );
}
