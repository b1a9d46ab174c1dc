'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { api, type Me } from '../_lib/api';

export function AppHeader({ me, slug, section }: { me: Me; slug: string; section?: string }) {
  const router = useRouter();
  const nav = [
    ['notebooks', `/w/${slug}`],
    ['datasets', `/w/${slug}/datasets`],
    ['runs', `/w/${slug}/runs`],
    ['models', `/w/${slug}/models`],
    ['devices', `/w/${slug}/devices`],
    ['workers', `/w/${slug}/workers`],
  ] as const;
  return (
    <header className="topbar">
      <Link href="/" className="brand">
        Ferry
      </Link>
      <select aria-label="workspace" value={slug} onChange={(e) => router.push(`/w/${e.target.value}`)}>
        {me.workspaces.map((w) => (
          <option key={w.id} value={w.slug}>
            {w.name}
          </option>
        ))}
      </select>
      <nav>
        {nav.map(([name, href]) => (
          <Link key={name} href={href} className={section === name ? 'active' : ''}>
            {name}
          </Link>
        ))}
      </nav>
      <span className="spacer" />
      <span className="muted" data-testid="signed-in-as">
        {me.user.email}
      </span>
      <button
        className="link"
        onClick={async () => {
          await api('POST', '/api/auth/sign-out');
          router.replace('/sign-in');
        }}
      >
        Sign out
      </button>
    </header>
  );
}
