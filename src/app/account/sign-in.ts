import { CSRF_HEADER } from '../../domain/account.ts';
import type { SignInRequest } from '../../domain/api/index.ts';
import { clearSession, saveSession } from '../../store/session.ts';
import { announce } from '../../sync/channel.ts';
import { SESSION_ENDPOINT } from '../../sync/protocol.ts';
import { isSessionInfo } from '../../sync/session.ts';
import { refreshSessionState, sessionState } from '../shell/session-state.ts';

export type SignInResult = { ok: true } | { ok: false; message: string };

/** POST /api/v1/session; on success the session is stored for offline use and every tab is told. */
export async function signIn(email: string, password: string): Promise<SignInResult> {
  if (!email.trim() || !password) return { ok: false, message: 'Indiquez votre adresse e-mail et votre mot de passe.' };
  let response: Response;
  try {
    response = await fetch(SESSION_ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: email.trim(), password } satisfies SignInRequest),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    return { ok: false, message: 'Pas de réseau : la connexion a besoin du réseau. Vos relevés restent enregistrés sur l’appareil.' };
  }
  const body = (await response.json().catch(() => undefined)) as unknown;
  if (response.ok && isSessionInfo(body)) {
    await saveSession(body);
    await refreshSessionState();
    announce({ type: 'session-changed' });
    return { ok: true };
  }
  const serverMessage = typeof (body as { error?: unknown } | undefined)?.error === 'string' ? (body as { error: string }).error : undefined;
  if (response.status === 429) {
    const seconds = Number(response.headers.get('retry-after'));
    const wait =
      Number.isFinite(seconds) && seconds > 0 ? (seconds < 90 ? ` dans ${Math.ceil(seconds)} s` : ` dans ${Math.ceil(seconds / 60)} min`) : ' plus tard';
    return { ok: false, message: `Trop de tentatives de connexion : réessayez${wait}.` };
  }
  if (response.status === 401) return { ok: false, message: serverMessage ?? 'Adresse e-mail ou mot de passe incorrect' };
  if (response.status >= 500) return { ok: false, message: 'Le serveur est indisponible : réessayez dans un moment.' };
  return { ok: false, message: serverMessage ?? `Connexion impossible (erreur ${response.status})` };
}

/**
 * Forgets the person on this device and ends the session on the server when it can be
 * reached. Readings stay on the device, waiting for their author to sign in again.
 */
export async function signOut(): Promise<void> {
  const csrf = sessionState.get().session?.info.csrfToken;
  await fetch(SESSION_ENDPOINT, {
    method: 'DELETE',
    headers: csrf ? { [CSRF_HEADER]: csrf } : {},
    credentials: 'same-origin',
    cache: 'no-store',
  }).catch(() => undefined);
  await clearSession();
  await refreshSessionState();
  announce({ type: 'session-changed' });
}
