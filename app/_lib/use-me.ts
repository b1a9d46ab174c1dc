'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiFailure, type Me } from './api';

/** The signed-in user and the current workspace; sends signed-out visitors to the sign-in page. */
export function useMe(slug?: string) {
  const router = useRouter();
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setMe(await api<Me>('GET', '/api/auth/me'));
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 401) router.replace('/sign-in');
      else setError((e as Error).message);
    }
  }, [router]);
  useEffect(() => void reload(), [reload]);
  const workspace = me?.workspaces.find((w) => w.slug === slug) ?? null;
  return { me, workspace, error, reload };
}
