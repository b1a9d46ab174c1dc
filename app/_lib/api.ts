'use client';

// The browser's client for the Ferry HTTP API: JSON in and out, errors as ApiFailure with the server's message.
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const json = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!res.ok) throw new ApiFailure(res.status, json.error?.message ?? `request failed (${res.status})`);
  return json as T;
}

export interface Me {
  user: { id: string; email: string; name: string };
  workspaces: Array<{ id: string; slug: string; name: string; role: 'owner' | 'editor' | 'viewer'; approver: boolean }>;
}
