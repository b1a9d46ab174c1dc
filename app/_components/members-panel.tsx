'use client';

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { MemberDto, RoleDto } from '../../core/contracts/api/workspaces';
import { api } from '../_lib/api';

export function MembersPanel({ workspaceId, isOwner }: { workspaceId: string; isOwner: boolean }) {
  const [members, setMembers] = useState<MemberDto[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    setMembers((await api<{ members: MemberDto[] }>('GET', `/api/workspaces/${workspaceId}/members`)).members);
  }, [workspaceId]);
  useEffect(() => void load().catch((e: unknown) => setError(String(e))), [load]);
  const act = (fn: () => Promise<unknown>) => async () => {
    setError(null);
    try {
      await fn();
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  async function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await act(() =>
      api('POST', `/api/workspaces/${workspaceId}/members`, {
        email: form.get('email'),
        role: form.get('role'),
        approver: form.get('approver') === 'on',
      }),
    )();
  }
  return (
    <section className="panel" data-testid="members-panel">
      <h2>Members</h2>
      {error && <p className="error">{error}</p>}
      <ul className="list">
        {members.map((m) => (
          <li key={m.userId}>
            <span>{m.email}</span>
            <span className="spacer" />
            {isOwner ? (
              <>
                <select
                  aria-label={`role of ${m.email}`}
                  value={m.role}
                  onChange={(e) =>
                    void act(() =>
                      api('PATCH', `/api/workspaces/${workspaceId}/members/${m.userId}`, { role: e.target.value as RoleDto }),
                    )()
                  }
                >
                  <option value="owner">owner</option>
                  <option value="editor">editor</option>
                  <option value="viewer">viewer</option>
                </select>
                <label className="inline small">
                  <input
                    type="checkbox"
                    checked={m.approver}
                    onChange={(e) =>
                      void act(() => api('PATCH', `/api/workspaces/${workspaceId}/members/${m.userId}`, { approver: e.target.checked }))()
                    }
                  />
                  approver
                </label>
                <button className="link" onClick={act(() => api('DELETE', `/api/workspaces/${workspaceId}/members/${m.userId}`))}>
                  Remove
                </button>
              </>
            ) : (
              <span className="badge">
                {m.role}
                {m.approver ? ' · approver' : ''}
              </span>
            )}
          </li>
        ))}
      </ul>
      {isOwner && (
        <form className="row" onSubmit={invite}>
          <input name="email" type="email" placeholder="colleague@example.com" required aria-label="invite email" />
          <select name="role" defaultValue="editor" aria-label="invite role">
            <option value="editor">editor</option>
            <option value="viewer">viewer</option>
            <option value="owner">owner</option>
          </select>
          <label className="inline small">
            <input type="checkbox" name="approver" /> approver
          </label>
          <button type="submit">Add member</button>
        </form>
      )}
    </section>
  );
}
