import { useState } from 'preact/hooks';
import { CreatedTokenAnswerSchema, NoContentSchema, TokensAnswerSchema, type CreatedTokenAnswer, type NewTokenRequest } from '../../domain/api/index.ts';
import { formatTime } from '../format.ts';
import { api, ApiError } from '../shell/api.ts';
import { ApiErrorMessage } from '../shell/ApiErrorMessage.tsx';
import { useAction } from '../shell/use-action.ts';
import { useApi } from '../shell/use-api.ts';

/** « Expire le … », or « Expiré le … » once past; nothing for a token valid until revoked. */
function expiry(expiresAt: string | null): string {
  if (!expiresAt) return 'sans date d’expiration';
  return `${Date.parse(expiresAt) <= Date.now() ? 'Expiré le' : 'Expire le'} ${formatTime(expiresAt)}`;
}

/**
 * Personal API tokens (Authorization: Bearer) of one account: list with last use and expiry,
 * create (shown once; the signed-in person confirms their own password), revoke.
 */
export function TokensPanel({ userId, title }: { userId?: string; title: string }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [days, setDays] = useState('');
  const [created, setCreated] = useState<CreatedTokenAnswer>();
  const query = userId ? `?userId=${encodeURIComponent(userId)}` : '';
  const list = useApi(`/api/v1/tokens${query}`, TokensAnswerSchema);
  const tokens = list.data?.tokens;
  const { run, error } = useAction();
  const idPrefix = `tokens-${userId ?? 'self'}`;

  return (
    <section class="tokens" aria-labelledby={`${idPrefix}-title`}>
      <h3 id={`${idPrefix}-title`}>{title}</h3>
      <p class="hint">Pour les scripts et les imports : en-tête « Authorization: Bearer … ». Un jeton agit au nom du compte.</p>
      {tokens && tokens.length === 0 && <p>Aucun jeton.</p>}
      {tokens && tokens.length > 0 && (
        <ul class="token-list" aria-label="Jetons">
          {tokens.map((token) => (
            <li key={token.id}>
              <strong>{token.name}</strong> · créé {formatTime(token.createdAt)} ·{' '}
              {token.lastUsedAt ? `Dernière utilisation : ${formatTime(token.lastUsedAt)}` : 'Jamais utilisé'} · {expiry(token.expiresAt)}{' '}
              <button
                type="button"
                class="danger"
                onClick={() =>
                  void run(async () => {
                    if (!window.confirm(`Révoquer le jeton « ${token.name} » ? Les scripts qui l’utilisent seront refusés.`)) return;
                    await api(`/api/v1/tokens/${encodeURIComponent(token.id)}`, NoContentSchema, { method: 'DELETE' });
                    await list.reload();
                  })
                }
              >
                Révoquer
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        class="inline-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void run(async () => {
            if (!name.trim()) throw new ApiError('Donnez un nom au jeton (ex. import Tower Collector).', 400);
            if (!password) throw new ApiError('Confirmez avec votre mot de passe.', 400);
            if (days.trim() && !/^\d+$/.test(days.trim())) throw new ApiError('Durée : un nombre entier de jours, ou rien pour un jeton sans expiration.', 400);
            const body: NewTokenRequest = { name: name.trim(), password, ...(days.trim() && { days: Number(days.trim()) }), ...(userId && { userId }) };
            // The password is never kept, whatever the answer.
            setPassword('');
            setCreated(await api('/api/v1/tokens', CreatedTokenAnswerSchema, { method: 'POST', body }));
            setName('');
            setDays('');
            await list.reload();
          });
        }}
      >
        <div class="field">
          <label for={`${idPrefix}-name`}>Nom du nouveau jeton</label>
          <input id={`${idPrefix}-name`} type="text" maxLength={100} value={name} onInput={(event) => setName(event.currentTarget.value)} />
        </div>
        <div class="field">
          <label for={`${idPrefix}-days`}>Valable (jours, facultatif)</label>
          <input id={`${idPrefix}-days`} type="text" inputMode="numeric" maxLength={4} value={days} onInput={(event) => setDays(event.currentTarget.value)} />
        </div>
        <div class="field">
          <label for={`${idPrefix}-password`}>Votre mot de passe (confirmation)</label>
          <input
            id={`${idPrefix}-password`}
            type="password"
            autoComplete="current-password"
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
        </div>
        <button type="submit">Créer un jeton</button>
      </form>
      {created && (
        <div class="token-once" role="status">
          <p>
            <strong>Copiez ce jeton maintenant : il ne sera plus jamais affiché.</strong>
          </p>
          <p>{created.expiresAt ? `${expiry(created.expiresAt)}.` : 'Valable jusqu’à sa révocation.'}</p>
          <code class="token-value">{created.token}</code>
          <div class="actions">
            <button type="button" onClick={() => void navigator.clipboard?.writeText(created.token)}>
              Copier
            </button>
            <button type="button" onClick={() => setCreated(undefined)}>
              C’est fait
            </button>
          </div>
        </div>
      )}
      <ApiErrorMessage error={list.error} onRetry={list.reload} />
      <ApiErrorMessage error={error} />
    </section>
  );
}
