'use client';

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { MemberDto, RoleDto } from '../../core/contracts/api/workspaces';
import { api } from '../_lib/api';

interface InviteRow {
  id: string;
  email: string;
  role: RoleDto;
  approver: boolean;
  expiresAt: string;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
}

export function MembersPanel({ workspaceId, isOwner }: { workspaceId: string; isOwner: boolean }) {
  const [members, setMembers] = useState<MemberDto[]>([]);
  const [invites, setInvites] = useState<InviteRow[]>([]);
  const [link, setLink] = useState<{ email: string; url: string; mail: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    setMembers((await api<{ members: MemberDto[] }>('GET', `/api/workspaces/${workspaceId}/members`)).members);
    if (isOwner) setInvites((await api<{ invites: InviteRow[] }>('GET', `/api/workspaces/${workspaceId}/invites`)).invites);
  }, [workspaceId, isOwner]);
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
    const target = event.currentTarget;
    const form = new FormData(target);
    const body = { email: form.get('email'), role: form.get('role'), approver: form.get('approver') === 'on' };
    // Someone with an account joins at once; anyone else gets a one-time invite link.
    await act(async () => {
      if (form.get('existing') === 'on') return api('POST', `/api/workspaces/${workspaceId}/members`, body);
      const made = await api<{ invite: InviteRow; url: string; mail: string }>('POST', `/api/workspaces/${workspaceId}/invites`, body);
      setLink({ email: made.invite.email, url: made.url, mail: made.mail });
      target.reset();
    })();
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
      {isOwner && invites.some((i) => i.status === 'pending') && (
        <>
          <h3>Pending invites</h3>
          <ul className="list" data-testid="invites">
            {invites
              .filter((i) => i.status === 'pending')
              .map((i) => (
                <li key={i.id}>
                  <span>
                    {i.email} · {i.role}
                    {i.approver ? ' · approver' : ''}
                  </span>
                  <span className="spacer" />
                  <span className="small muted">expires {new Date(i.expiresAt).toLocaleDateString()}</span>
                  <button className="link" onClick={act(() => api('DELETE', `/api/workspaces/${workspaceId}/invites/${i.id}`))}>
                    Revoke
                  </button>
                </li>
              ))}
          </ul>
        </>
      )}
      {link && (
        <div className="notice" data-testid="invite-link">
          <p>
            Invite for {link.email} (mail: {link.mail}). Send them this one-time link; it works for 7 days:
          </p>
          <input readOnly value={link.url} style={{ width: '100%' }} aria-label="invite link" onFocus={(e) => e.currentTarget.select()} />{' '}
          <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(link.url)}>
            Copy
          </button>
        </div>
      )}
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
          <label className="inline small" title="add someone who already has a Ferry account, without a link">
            <input type="checkbox" name="existing" /> has an account
          </label>
          <button type="submit" data-testid="invite-submit">
            Invite
          </button>
        </form>
      )}
    </section>
  );
}
