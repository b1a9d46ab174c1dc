'use client';

import { useCallback, useEffect, useState } from 'react';
import { api } from './api';

/** Loads a workspace-scoped list and refreshes it every few seconds (runs and devices change live). */
export function usePolled<T>(path: string | null, pick: (json: unknown) => T, everyMs = 3000) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    if (!path) return;
    try {
      setData(pick(await api('GET', path)));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [path]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), everyMs);
    return () => clearInterval(timer);
  }, [load, everyMs]);
  return { data, error, reload: load };
}
