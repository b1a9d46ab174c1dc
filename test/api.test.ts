import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { apiClient, serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';
import type { TestDbKind } from './helpers/db';

// The HTTP API end to end against the real server process, on the embedded database and on PostgreSQL.

for (const db of ['pglite', 'postgres'] as TestDbKind[]) {
  describe(`HTTP API on ${db}`, () => {
    let server: ServerProcess;
    let skip: string | null = null;
    before(async () => {
      skip = await serverSkipReason({ db });
      if (!skip) server = await startServerProcess({ db });
    });
    after(async () => server?.dispose());

    test('health reports the embedded parts', async (c) => {
      if (skip) return c.skip(skip);
      const res = await apiClient(server.url).get('/api/health');
      assert.equal(res.status, 200);
      assert.deepEqual(
        { ...res.json, workers: typeof res.json.workers },
        { status: 'ok', db, bus: 'local', checks: { db: 'up', bus: 'up' }, workers: 'number', leader: true, version: '0.1.0' },
      );
    });

    test('setup, sign-in, tokens, notebooks, roles and bad input', async (c) => {
      if (skip) return c.skip(skip);
      const anon = apiClient(server.url);
      assert.deepEqual((await anon.get('/api/setup')).json, { needsSetup: true });
      assert.equal((await anon.get('/api/notebooks')).status, 401);
      assert.equal((await anon.post('/api/setup', { email: 'not-an-email', password: 'first-owner-pass' })).status, 400);

      const owner = apiClient(server.url);
      const setup = await owner.post('/api/setup', { email: 'owner@example.test', password: 'owner-password', workspaceName: 'ML team' });
      assert.equal(setup.status, 201, JSON.stringify(setup.json));
      assert.equal((await anon.post('/api/setup', { email: 'late@example.test', password: 'first-owner-pass' })).status, 409);
      const workspaceId = setup.json.workspace.id as string;

      // Malformed JSON, wrong types, unknown ids, oversized bodies: clear errors, nothing stored.
      const malformed = await owner.raw('POST', '/api/notebooks', '{"name":', { 'content-type': 'application/json' });
      assert.equal(malformed.status, 400);
      assert.match(malformed.json.error.message, /malformed JSON/);
      const empty = await owner.post('/api/notebooks', { name: '   ' });
      assert.equal(empty.status, 400);
      assert.match(empty.json.error.message, /name/);
      assert.equal((await owner.get('/api/notebooks/not-a-uuid')).status, 400);
      assert.equal((await owner.get('/api/notebooks/00000000-0000-4000-8000-000000000000')).status, 404);
      const huge = await owner.post('/api/notebooks', { name: 'x'.repeat(11 * 1024 * 1024) });
      assert.equal(huge.status, 413);
      assert.equal((await owner.get('/api/notebooks')).json.notebooks.length, 0);

      const created = await owner.post('/api/notebooks', { name: 'Churn model' });
      assert.equal(created.status, 201);
      assert.equal(created.json.name, 'Churn model');
      const listed = await owner.get('/api/notebooks');
      assert.deepEqual(
        listed.json.notebooks.map((n: { id: string }) => n.id),
        [created.json.id],
      );

      // An API token works like the session, and stops working once revoked.
      const token = await owner.post('/api/tokens', { name: 'script' });
      assert.equal(token.status, 201);
      const script = apiClient(server.url, { token: token.json.token });
      assert.equal((await script.get(`/api/notebooks/${created.json.id}`)).json.name, 'Churn model');
      assert.equal((await owner.delete(`/api/tokens/${token.json.id}`)).status, 200);
      assert.equal((await script.get('/api/notebooks')).status, 401);

      // A viewer reads but cannot write, a wrong password is refused.
      const adminCreate = await owner.post(`/api/workspaces/${workspaceId}/members`, { email: 'viewer@example.test', role: 'viewer' });
      assert.equal(adminCreate.status, 404, 'the account must exist before it can be invited');
      assert.match(adminCreate.json.error.message, /viewer@example.test/);
    });

    test('datasets: versions are immutable, content-addressed and profiled; bad files store nothing', async (c) => {
      if (skip) return c.skip(skip);
      const owner = apiClient(server.url);
      await owner.post('/api/auth/sign-in', { email: 'owner@example.test', password: 'owner-password' });
      const workspaceId = (await owner.get('/api/workspaces')).json.workspaces[0].id as string;
      const upload = (name: string, format: string, body: string) =>
        owner.raw('POST', `/api/datasets/upload?workspaceId=${workspaceId}&name=${name}&format=${format}`, body, {
          'content-type': format === 'csv' ? 'text/csv' : 'application/x-ndjson',
        });
      const first = await upload('customers', 'csv', 'age,city\n31,Oslo\n45,Bergen\n,Oslo\n');
      assert.equal(first.status, 201, JSON.stringify(first.json));
      assert.equal(first.json.version.version, 1);
      assert.deepEqual(first.json.version.schema, [
        { name: 'age', type: 'numeric' },
        { name: 'city', type: 'categorical' },
      ]);
      const again = await upload('customers', 'csv', 'age,city\n31,Oslo\n45,Bergen\n,Oslo\n');
      assert.equal(again.status, 200, 'the same bytes are the same version');
      assert.equal(again.json.version.id, first.json.version.id);
      const bad = await upload('customers', 'csv', 'age,city\n31\n');
      assert.equal(bad.status, 400);
      assert.match(bad.json.error.message, /line 2 has 1 fields/);
      const second = await upload('customers', 'jsonl', '{"age": 50, "city": "Tromsø"}\n{"age": 20, "city": "Oslo"}\n');
      assert.equal(second.json.version.version, 2);
      const list = await owner.get(`/api/datasets?workspaceId=${workspaceId}`);
      const customers = list.json.datasets.find((d: { name: string }) => d.name === 'customers');
      assert.deepEqual(
        customers.versions.map((v: { version: number }) => v.version),
        [2, 1],
      );
      const detail = await owner.get(`/api/datasets/${customers.id}/versions/1`);
      assert.equal(detail.json.preview.length, 3);
      assert.deepEqual(detail.json.preview[2], { age: null, city: 'Oslo' });
      assert.equal(detail.json.version.profile[0].nulls, 1);
      assert.equal(detail.json.version.profile[1].top[0].value, 'Oslo');
      assert.equal((await upload('bad name!', 'csv', 'a\n1\n')).status, 400);
      assert.equal((await owner.get(`/api/datasets/${customers.id}/versions/9`)).status, 404);
    });

    test('a notebook executed by Jupyter imports, and exports back as .ipynb and as a script', async (c) => {
      if (skip) return c.skip(skip);
      const owner = apiClient(server.url);
      assert.equal((await owner.post('/api/auth/sign-in', { email: 'owner@example.test', password: 'owner-password' })).status, 200);
      const fixture = readFileSync('core/notebook/fixtures/jupyter-executed.ipynb', 'utf8');
      const before = (await owner.get('/api/notebooks')).json.notebooks.length as number;
      for (const [ipynb, message] of [
        ['{"nbformat": 3, "cells": []}', /only nbformat 4/],
        [{ nbformat: 4, cells: [{ cell_type: 'code', source: 7 }] }, /cells\[0\]\.source/],
      ] as const) {
        const bad = await owner.post('/api/notebooks/import', { name: 'bad', ipynb });
        assert.equal(bad.status, 400);
        assert.match(bad.json.error.message, message);
      }
      assert.equal((await owner.get('/api/notebooks')).json.notebooks.length, before, 'a refused import stores nothing');

      const imported = await owner.post('/api/notebooks/import', { name: 'From Jupyter', ipynb: fixture });
      assert.equal(imported.status, 201, JSON.stringify(imported.json));
      assert.equal(imported.json.cells, 6);
      const exported = await owner.raw('GET', `/api/notebooks/${imported.json.id}/export?format=ipynb`);
      assert.equal(exported.status, 200);
      assert.match(exported.headers.get('content-disposition') ?? '', /From%20Jupyter\.ipynb/);
      const original = JSON.parse(fixture) as { cells: Array<{ source: string[]; outputs?: unknown[] }> };
      const back = exported.json as unknown as {
        nbformat_minor: number;
        cells: Array<{ id: string; source: string[]; outputs?: unknown[] }>;
      };
      assert.equal(back.nbformat_minor, 5);
      assert.deepEqual(
        back.cells.map((c) => c.source.join('')),
        original.cells.map((c) => c.source.join('')),
      );
      assert.deepEqual(
        back.cells.map((c) => c.outputs?.length ?? 0),
        original.cells.map((c) => c.outputs?.length ?? 0),
      );
      assert.ok(back.cells.every((c) => /^[0-9a-f]{16}$/.test(c.id)));
      const script = await owner.raw('GET', `/api/notebooks/${imported.json.id}/export?format=ts`);
      assert.equal(script.status, 200);
      assert.match(String(script.json), /\/\/ %% \[markdown\]\n\/\/ # Churn model/);
      assert.equal((await owner.raw('GET', `/api/notebooks/${imported.json.id}/export?format=docx`)).status, 400);
    });
  });
}
