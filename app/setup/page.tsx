'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Field } from '../_components/form-field';
import { api } from '../_lib/api';

export default function SetupPage() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ workspace: { slug: string } }>('POST', '/api/setup', {
        name: form.get('name'),
        email: form.get('email'),
        password: form.get('password'),
        workspaceName: form.get('workspaceName') || 'My workspace',
      });
      router.replace(`/w/${res.workspace.slug}`);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }
  return (
    <main className="center">
      <form className="card" onSubmit={submit} data-testid="setup-form">
        <h1>Welcome to Ferry</h1>
        <p className="muted">Create the first owner account and a workspace for your team.</p>
        <Field label="Your name" name="name" autoComplete="name" />
        <Field label="Email" name="email" type="email" required autoComplete="email" />
        <Field
          label="Password (10+ characters, not a common one)"
          name="password"
          type="password"
          minLength={10}
          required
          autoComplete="new-password"
        />
        <Field label="Workspace name" name="workspaceName" placeholder="My workspace" />
        {error && <p className="error">{error}</p>}
        <button type="submit" disabled={busy}>
          Create owner
        </button>
      </form>
    </main>
  );
}
