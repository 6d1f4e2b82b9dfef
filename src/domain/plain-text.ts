import * as v from 'valibot';

/**
 * U+0000 has no place in any text a person types, and PostgreSQL cannot store it in a text
 * column (SQLite can): refused at the door, with the same answer on both stores.
 */
export function hasNulCharacter(text: string): boolean {
  return text.includes('\u0000');
}

export const NUL_MESSAGE = 'contient un caractère nul (U+0000) : retirez-le';

/** A valibot check for a text field named `what` (« Le nom »…). */
export const withoutNul = (what: string) => v.check((text: string) => !hasNulCharacter(text), `${what} ${NUL_MESSAGE}`);
