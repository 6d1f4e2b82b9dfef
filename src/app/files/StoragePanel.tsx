import { useEffect, useState } from 'preact/hooks';

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
      if (live) setFacts({ ...(estimate?.usage !== undefined && { usage: estimate.usage }), ...(estimate?.quota !== undefined && { quota: estimate.quota }), ...(persisted !== undefined && { persisted }) });
    })();
    return () => {
      live = false;
    };
  }, [refreshKey]);
  if (!facts) return null;
  return (
    <div class="storage" aria-label="Stockage de l’appareil" role="group">
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
