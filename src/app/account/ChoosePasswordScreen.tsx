import type { SessionInfo } from '../../domain/account.ts';
import { useTitle } from '../shell/use-title.ts';
import { PasswordForm } from './PasswordForm.tsx';

/**
 * Right after signing in with a password an admin set (a new account, a reset): nothing else
 * opens until the person chooses their own (the server refuses every other call meanwhile).
 */
export function ChoosePasswordScreen({ user }: { user: SessionInfo['user'] }) {
  useTitle('Choisissez votre mot de passe');
  return (
    <section class="screen" aria-labelledby="choose-password-title">
      <h2 id="choose-password-title">Choisissez votre mot de passe</h2>
      <p>
        Bonjour {user.name}. Le mot de passe qui vient de vous connecter a été choisi par un administrateur : il est provisoire. Choisissez le vôtre pour
        continuer ; il ne sera connu que de vous.
      </p>
      <PasswordForm idPrefix="choose-password" currentLabel="Mot de passe provisoire" submitLabel="Enregistrer et continuer" onChanged={() => undefined} />
    </section>
  );
}
