import { useState } from 'preact/hooks';
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
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = await signIn(email, password);
      if (result.ok) {
        setPassword('');
        onSignedIn?.();
      } else {
        setError(result.message);
      }
    } finally {
      setBusy(false);
    }
  };

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
      <button type="submit" class="primary big" disabled={busy}>
        {busy ? 'Connexion…' : 'Se connecter'}
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
