'use client';

import { useParams, useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { Field } from '../../_components/form-field';
import { api } from '../../_lib/api';

// The page an invite link opens: whose workspace and which role, then a name and a password.
export default function InvitePage() {
  const { token } = useParams<{ token: string }>();
  const router = useRouter();
  const [invite, setInvite] = useState<{ workspace: { name: string; slug: string }; email: string; role: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<typeof invite>('GET', `/api/invites/${encodeURIComponent(token)}`)
      .then(setInvite)
      .catch((e: Error) => setError(e.message));
  }, [token]);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (form.get('password') !== form.get('confirm')) return setError('the two passwords differ');
    setError(null);
    try {
      const joined = await api<{ workspace: { slug: string } }>('POST', `/api/invites/${encodeURIComponent(token)}/accept`, {
        name: form.get('name'),
        password: form.get('password'),
      });
      router.replace(`/w/${joined.workspace.slug}`);
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <main className="center">
      <form className="card" onSubmit={submit} data-testid="invite-form">
        <h1>Join {invite ? invite.workspace.name : 'a workspace'} on Ferry</h1>
        {invite && (
          <p className="muted">
            You are invited as <strong>{invite.role}</strong> with <strong>{invite.email}</strong>.
          </p>
        )}
        <Field label="Your name" name="name" required autoComplete="name" />
        <Field label="Password (at least 10 characters)" name="password" type="password" required autoComplete="new-password" />
        <Field label="Password again" name="confirm" type="password" required autoComplete="new-password" />
        {error && <p className="error">{error}</p>}
        <button type="submit" disabled={!invite}>
          Join
        </button>
      </form>
    </main>
  );
}
