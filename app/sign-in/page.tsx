'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Field } from '../_components/form-field';
import { api } from '../_lib/api';

export default function SignInPage() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(null);
    try {
      await api('POST', '/api/auth/sign-in', { email: form.get('email'), password: form.get('password') });
      router.replace('/');
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <main className="center">
      <form className="card" onSubmit={submit} data-testid="sign-in-form">
        <h1>Sign in to Ferry</h1>
        <Field label="Email" name="email" type="email" required autoComplete="email" />
        <Field label="Password" name="password" type="password" required autoComplete="current-password" />
        {error && <p className="error">{error}</p>}
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
