import { SignInForm } from './SignInForm.tsx';
import { useTitle } from '../shell/use-title.ts';
import { hrefTo } from '../shell/routes.ts';
import { currentRoute, navigate } from '../shell/use-route.ts';

/** The first screen without an account: agents and staff sign in, residents report. */
export function SignInScreen() {
  useTitle('Connexion');
  return (
    <section class="screen" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Connexion</h2>
      <p class="hint">
        Agents communaux et équipes du département ou de la préfecture : connectez-vous une fois avec du réseau, l’application fonctionne ensuite hors ligne.
      </p>
      <SignInForm idPrefix="sign-in" onSignedIn={landAfterSignIn} />
      <div class="resident-entry">
        <h3>Vous habitez ici ?</h3>
        <p>Pas besoin de compte pour nous dire où le téléphone ne passe pas.</p>
        <a class="button-link primary" href={hrefTo('signaler')}>
          Signaler une zone sans réseau
        </a>
      </div>
      <p class="hint">
        <a href={hrefTo('a-propos')}>À propos et crédits</a> · <a href={hrefTo('donnees-ouvertes')}>Données ouvertes</a>
      </p>
    </section>
  );
}

/** A link followed before signing in (a zone's dossier, a filtered map) opens once signed in; « Connexion » itself leads to the role's first screen. */
function landAfterSignIn(): void {
  if (currentRoute().name === 'connexion') navigate({ name: 'accueil' });
}
