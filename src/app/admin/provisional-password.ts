import { MIN_PASSWORD_LENGTH } from '../../domain/account.ts';

/** No 0/O, 1/l/I: the admin reads it out or copies it by hand. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const LENGTH = Math.max(MIN_PASSWORD_LENGTH, 14);

/**
 * A random provisional password to give a new or locked-out person (14 characters from 56,
 * about 81 bits, drawn by crypto.getRandomValues without modulo bias). They replace it at
 * their next sign-in.
 */
export function proposePassword(): string {
  const chars: string[] = [];
  const bytes = new Uint8Array(1);
  while (chars.length < LENGTH) {
    crypto.getRandomValues(bytes);
    // 224 = 4 × 56: bytes above are redrawn, so that every character is equally likely.
    const [byte = 255] = bytes;
    if (byte < 224) chars.push(ALPHABET.charAt(byte % ALPHABET.length));
  }
  return chars.join('');
}
