import { SIGN_IN_NEEDED_MESSAGE } from '../../sync/protocol.ts';
import { useEffect, useState } from 'preact/hooks';
import { useStore } from '../shell/tiny-store.ts';
import { outboxState, pendingCount } from './outbox-state.ts';
import { sendNow } from './sync-scheduler.ts';
import { formatTime } from '../format.ts';
import { useOnline } from '../shell/use-online.ts';

/**
 * Always on screen (in the shell's BottomDock): an agent must know at a glance whether their readings are safe. One line
 * by default (how many readings wait, offline or failing), so that a small phone keeps its
 * height for the form; « Détails » opens the rest (last success, the whole error). A failure
 * the agent can act on opens it by itself, once.
 */
export function SyncBar({ signInNeeded }: { signInNeeded: boolean }) {
  const state = useStore(outboxState);
  const pending = pendingCount(state);
  const { status, sending } = state;
  const online = useOnline();
  const failing = pending > 0 && (signInNeeded || status.lastError !== undefined);
  // Offline, the last error is only the network's absence, which the short line already says.
  const needsAction = pending > 0 && (signInNeeded || (online && status.lastError !== undefined));
  const [expanded, setExpanded] = useState(false);

  useEffect(() => {
    if (needsAction) setExpanded(true);
  }, [needsAction]);

  return (
    <div class={`sync-bar ${failing ? 'failing' : ''} ${expanded ? 'expanded' : ''}`} role="region" aria-label="Envoi des relevés">
      <div class="sync-line">
        <p class="sync-text" role="status" aria-live="polite">
          <strong class="pending-count">
            {pending === 0 ? 'Aucun relevé en attente' : pending === 1 ? '1 relevé en attente' : `${pending} relevés en attente`}
          </strong>
          {pending > 0 &&
            (signInNeeded ? (
              <span class="sync-error">{SIGN_IN_NEEDED_MESSAGE}</span>
            ) : online ? (
              status.lastError && <span class="sync-error">Échec du dernier essai : {status.lastError}</span>
            ) : (
              <span class="offline">
                Hors ligne<span class="sync-more"> : l’envoi se fera tout seul au retour du réseau.</span>
              </span>
            ))}
        </p>
        {/* Offline there is nothing to send through: the bar says it will go by itself. */}
        {online && (pending > 0 || sending) && (
          <button
            type="button"
            class="send-now"
            aria-label={sending ? undefined : 'Envoyer maintenant'}
            onClick={() => void sendNow()}
            disabled={sending || pending === 0 || signInNeeded}
          >
            {sending ? 'Envoi…' : 'Envoyer'}
          </button>
        )}
        <button type="button" class="sync-toggle" aria-expanded={expanded} aria-controls="sync-details" onClick={() => setExpanded(!expanded)}>
          <span aria-hidden="true">{expanded ? '▾' : '▴'}</span>
          <span class="visually-hidden">Détails de l’envoi</span>
        </button>
      </div>
      <p id="sync-details" class="sync-details" hidden={!expanded}>
        {status.lastSuccessAt ? `Dernier envoi réussi : ${formatTime(status.lastSuccessAt)}` : 'Aucun envoi réussi pour l’instant'}
      </p>
    </div>
  );
}
