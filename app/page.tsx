'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { api, ApiFailure, type Me } from './_lib/api';

export default function Home() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    (async () => {
      const { needsSetup } = await api<{ needsSetup: boolean }>('GET', '/api/setup');
      if (needsSetup) return router.replace('/setup');
      try {
        const me = await api<Me>('GET', '/api/auth/me');
        const first = me.workspaces[0];
        router.replace(first ? `/w/${first.slug}` : '/w');
      } catch (e) {
        if (e instanceof ApiFailure && e.status === 401) router.replace('/sign-in');
        else throw e;
      }
    })().catch((e: unknown) => setError(String(e)));
  }, [router]);
  return <main className="center">{error ? <p className="error">{error}</p> : <p>Loading Ferry…</p>}</main>;
}
