import { useStore } from '../shell/tiny-store.ts';
import { outboxState, pendingCount } from './outbox-state.ts';
import { sendNow } from './sync-scheduler.ts';
import { formatTime } from '../format.ts';
import { useOnline } from '../shell/use-online.ts';

/** Always on screen: an agent must know at a glance whether their readings are safe. */
export function SyncBar() {
  const state = useStore(outboxState);
  const pending = pendingCount(state);
  const { status, sending } = state;
  const online = useOnline();
  return (
    <div class={`sync-bar ${status.lastError && pending > 0 ? 'failing' : ''}`} role="region" aria-label="Envoi des relevés">
      <div class="sync-text" role="status" aria-live="polite">
        <strong class="pending-count">
          {pending === 0 ? 'Aucun relevé en attente' : pending === 1 ? '1 relevé en attente' : `${pending} relevés en attente`}
        </strong>
        <span class="last-success">
          {status.lastSuccessAt ? `Dernier envoi réussi : ${formatTime(status.lastSuccessAt)}` : 'Aucun envoi réussi pour l’instant'}
        </span>
        {pending > 0 &&
          (online ? (
            status.lastError && <span class="sync-error">Échec du dernier essai : {status.lastError}</span>
          ) : (
            <span class="offline">Hors ligne : l’envoi se fera tout seul au retour du réseau.</span>
          ))}
      </div>
      <button type="button" onClick={() => void sendNow()} disabled={sending || pending === 0}>
        {sending ? 'Envoi…' : 'Envoyer maintenant'}
      </button>
    </div>
  );
}
