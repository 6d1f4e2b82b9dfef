import type { Role } from '../../domain/account.ts';

/** An account as GET /api/v1/users lists it (never a password hash). */
export interface AdminUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** INSEE codes (agents). */
  communes: string[];
  departement: string | null;
  disabled: boolean;
  /** Still the provisional password an admin set: its owner has not chosen theirs yet. */
  mustChangePassword: boolean;
}

/** « 1 session », « 2 sessions ». */
export const count = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;
