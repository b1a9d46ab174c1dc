import { sql } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { users } from '../../../drizzle/schema';
import { checkPasswordStrength, hashPassword } from '../../auth/passwords';
import { conflict } from '../../errors';

export interface NewUser {
  email: string;
  password: string;
  name?: string;
}

export async function userCreator(db: Db, input: NewUser) {
  checkPasswordStrength(input.password);
  const email = input.email.trim().toLowerCase();
  const existing = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`)
    .limit(1);
  if (existing.length) throw conflict(`a user with email ${email} already exists`);
  const [user] = await db
    .insert(users)
    .values({ email, name: input.name ?? '', passwordHash: await hashPassword(input.password) })
    .returning();
  return user!;
}

export async function userByEmail(db: Db, email: string) {
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`)
    .limit(1);
  return user ?? null;
}

export async function userCount(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}
