import type { UserAnswer } from '../../domain/api/index.ts';

/** An account as GET /api/v1/users lists it (never a password hash): the contract's (src/domain/api/users.ts). */
export type AdminUser = UserAnswer;

/** « 1 session », « 2 sessions ». */
export const count = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;
