import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiClient, type ServerProcess } from './server';

// Common set-ups against a running server: an owner with a token, more users through the admin route.

export async function ownerSession(server: ServerProcess, email = 'owner@example.test') {
  const owner = apiClient(server.url);
  const setup = await owner.post('/api/setup', { email, password: 'owner-password', workspaceName: 'ML team' });
  if (setup.status !== 201) throw new Error(`setup failed: ${JSON.stringify(setup.json)}`);
  const token = (await owner.post('/api/tokens', { name: 'test' })).json.token as string;
  return { api: owner, token, workspaceId: setup.json.workspace.id as string, userId: setup.json.user.id as string };
}

/** Creates a user in the workspace through the local admin route, and returns an API token for them. */
export async function addUser(server: ServerProcess, input: { email: string; role: 'owner' | 'editor' | 'viewer'; approver?: boolean }) {
  const lock = JSON.parse(readFileSync(join(server.dataDir, 'server.json'), 'utf8')) as { adminKey: string };
  const admin = apiClient(server.url);
  const headers = { 'x-ferry-admin-key': lock.adminKey };
  const created = await admin.post(
    '/api/admin/users',
    { email: input.email, password: 'member-password', role: input.role, approver: input.approver ?? false },
    headers,
  );
  if (created.status !== 201) throw new Error(`user create failed: ${JSON.stringify(created.json)}`);
  const token = (await admin.post('/api/admin/tokens', { email: input.email, name: 'test' }, headers)).json.token as string;
  return { userId: created.json.user.id as string, token, api: apiClient(server.url, { token }) };
}
