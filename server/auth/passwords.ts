import { hash, verify } from '@node-rs/argon2';
import { invalid } from '../errors';
import commonPasswords from './common-passwords.json';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1024;

const common: ReadonlySet<string> = new Set(commonPasswords);

/** Why a password is too weak to set, or null when it is acceptable. */
export function passwordWeakness(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `password must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (new Set(lower).size === 1) return 'password must not be one character repeated';
  // "password-1", "dragon2024!": a listed password padded with digits or symbols is guessed just as fast.
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (common.has(lower) || common.has(core)) return 'password is too common (it is on a list of the most used passwords); choose another';
  return null;
}

/** Throws a 400 with the reason when a password may not be set (setup, user create, CLI). */
export function checkPasswordStrength(password: string): void {
  const weakness = passwordWeakness(password);
  if (weakness) throw invalid(weakness);
}

// argon2id with the library's defaults (OWASP-level memory cost).
export const hashPassword = (password: string) => hash(password);

export async function passwordMatches(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}
