import { SIGN_IN_NEEDED_MESSAGE } from '../../sync/protocol.ts';
import type { StoredSession } from '../../store/session.ts';
import { SignInForm } from './SignInForm.tsx';

/** On every open page while the server turns the session away; readings wait meanwhile. */
export function SessionExpiredBanner({ session }: { session: StoredSession }) {
  return (
    <div class="banner expired" role="alert" aria-labelledby="expired-title">
      <div class="expired-body">
        <p id="expired-title">
          <strong>{SIGN_IN_NEEDED_MESSAGE}</strong>
        </p>
        <p class="hint">Vos relevés restent enregistrés sur l’appareil ; l’envoi reprendra tout seul après la connexion.</p>
        <SignInForm idPrefix="renew" email={session.info.user.email} />
      </div>
    </div>
  );
}
