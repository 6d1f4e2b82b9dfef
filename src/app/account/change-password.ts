import { SessionAnswerSchema, type PasswordChangeRequest } from '../../domain/api/index.ts';
import { saveSession } from '../../store/session.ts';
import { announce } from '../../sync/channel.ts';
import { api } from '../shell/api.ts';
import { refreshSessionState } from '../shell/session-state.ts';

/**
 * POST /api/v1/session/password. The server keeps this session and answers it afresh
 * (mustChangePassword false): stored, and every tab and the service worker told, so that a
 * provisional session may send its readings from now on. Throws ApiError with the server's
 * French message (wrong current password, too short, too many tries).
 */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  const info = await api('/api/v1/session/password', SessionAnswerSchema, {
    method: 'POST',
    body: { currentPassword, newPassword } satisfies PasswordChangeRequest,
  });
  await saveSession(info);
  await refreshSessionState();
  announce({ type: 'session-changed' });
}
