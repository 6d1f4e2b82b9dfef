import { useState } from 'preact/hooks';
import { ApiError } from '../shell/api.ts';
import { ApiErrorMessage } from '../shell/ApiErrorMessage.tsx';
import { useAction } from '../shell/use-action.ts';
import { signIn } from './sign-in.ts';

interface Props {
  /** Prefilled, e.g. with the address of the person whose session expired. */
  email?: string;
  idPrefix: string;
  onSignedIn?: () => void;
}

/** E-mail and password with visible labels; errors said in French, next to the button. */
export function SignInForm({ email: initialEmail = '', idPrefix, onSignedIn }: Props) {
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const signing = useAction();

  const submit = () =>
    signing.run(async () => {
      const result = await signIn(email, password);
      // signIn says why it failed in French (wrong password, no network, too many tries) rather than throwing.
      if (!result.ok) throw new ApiError(result.message, -1);
      setPassword('');
      onSignedIn?.();
    });

  return (
    <form
      class="sign-in-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div class="field">
        <label for={`${idPrefix}-email`}>Adresse e-mail</label>
        <input
          id={`${idPrefix}-email`}
          type="email"
          autocomplete="username"
          inputMode="email"
          required
          value={email}
          onInput={(event) => setEmail(event.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for={`${idPrefix}-password`}>Mot de passe</label>
        <input
          id={`${idPrefix}-password`}
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(event) => setPassword(event.currentTarget.value)}
        />
      </div>
      <button type="submit" class="primary big" disabled={signing.busy}>
        {signing.busy ? 'Connexion…' : 'Se connecter'}
      </button>
      <ApiErrorMessage error={signing.error} />
    </form>
  );
}
