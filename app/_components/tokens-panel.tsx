'use client';

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../_lib/api';

interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function TokensPanel() {
  const [tokens, setTokens] = useState<TokenRow[]>([]);
  const [fresh, setFresh] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => setTokens((await api<{ tokens: TokenRow[] }>('GET', '/api/tokens')).tokens), []);
  useEffect(() => void load().catch((e: unknown) => setError(String(e))), [load]);
  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name') || 'api token');
    try {
      setFresh((await api<{ token: string }>('POST', '/api/tokens', { name })).token);
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <section className="panel">
      <h2>API tokens</h2>
      <p className="muted small">For the CLI and scripts: send as Authorization: Bearer &lt;token&gt;.</p>
      {error && <p className="error">{error}</p>}
      {fresh && (
        <p className="notice" data-testid="new-token">
          Copy it now, it is shown once: <code>{fresh}</code>
        </p>
      )}
      <ul className="list">
        {tokens.map((t) => (
          <li key={t.id}>
            <code>{t.prefix}…</code> {t.name}
            <span className="muted small">
              {t.revokedAt ? 'revoked' : t.lastUsedAt ? `last used ${new Date(t.lastUsedAt).toLocaleString()}` : 'never used'}
            </span>
            <span className="spacer" />
            {!t.revokedAt && (
              <button className="link" onClick={() => void api('DELETE', `/api/tokens/${t.id}`).then(load)}>
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
      <form className="row" onSubmit={create}>
        <input name="name" placeholder="token name" aria-label="token name" />
        <button type="submit">Create token</button>
      </form>
    </section>
  );
}
