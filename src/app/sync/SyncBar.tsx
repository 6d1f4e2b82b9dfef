import { SIGN_IN_NEEDED_MESSAGE } from '../../sync/protocol.ts';
import { useEffect, useRef } from 'preact/hooks';
import { useStore } from '../shell/tiny-store.ts';
import { outboxState, pendingCount } from './outbox-state.ts';
import { sendNow } from './sync-scheduler.ts';
import { formatTime } from '../format.ts';
import { useOnline } from '../shell/use-online.ts';

/** Always on screen: an agent must know at a glance whether their readings are safe. */
export function SyncBar({ signInNeeded }: { signInNeeded: boolean }) {
  const state = useStore(outboxState);
  const pending = pendingCount(state);
  const { status, sending } = state;
  const online = useOnline();
  const failing = pending > 0 && (signInNeeded || status.lastError !== undefined);
  const bar = useRef<HTMLDivElement>(null);

  // The bar is fixed over the page: the page keeps room for it below its last button, however
  // many lines the bar's message takes (set through the CSSOM, which the CSP allows).
  useEffect(() => {
    const element = bar.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const root = document.documentElement;
    const observer = new ResizeObserver(() => root.style.setProperty('--sync-bar-height', `${element.offsetHeight}px`));
    observer.observe(element);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--sync-bar-height');
    };
  }, []);

  return (
    <div ref={bar} class={`sync-bar ${failing ? 'failing' : ''}`} role="region" aria-label="Envoi des relevés">
      <div class="sync-text" role="status" aria-live="polite">
        <strong class="pending-count">
          {pending === 0 ? 'Aucun relevé en attente' : pending === 1 ? '1 relevé en attente' : `${pending} relevés en attente`}
        </strong>
        <span class="last-success">
          {status.lastSuccessAt ? `Dernier envoi réussi : ${formatTime(status.lastSuccessAt)}` : 'Aucun envoi réussi pour l’instant'}
        </span>
        {pending > 0 &&
          (signInNeeded ? (
            <span class="sync-error">{SIGN_IN_NEEDED_MESSAGE}</span>
          ) : online ? (
            status.lastError && <span class="sync-error">Échec du dernier essai : {status.lastError}</span>
          ) : (
            <span class="offline">Hors ligne : l’envoi se fera tout seul au retour du réseau.</span>
          ))}
      </div>
      <button type="button" onClick={() => void sendNow()} disabled={sending || pending === 0 || signInNeeded}>
        {sending ? 'Envoi…' : 'Envoyer maintenant'}
      </button>
    </div>
  );
}
