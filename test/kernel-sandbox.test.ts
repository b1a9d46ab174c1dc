import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type * as Y from 'yjs';
import { CELL_KEYS } from '../core/contracts/notebook-schema';
import { cellsOf, cellToData, createYCell } from '../core/notebook/notebook-doc';
import { connectCollab, eventually } from './helpers/collab-client';
import { addUser, ownerSession } from './helpers/scenario';
import { IN_CI } from './helpers/services';
import { BACKENDS, serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';

// Kernels run in a bubblewrap sandbox: a cell run by a signed-in editor tries to escape (the server's
// files, other processes' environments, signals to the server and to another notebook's kernel,
// writes outside its home) and every attempt fails, while tfjs (wasm), onnxruntime and the Ferry API
// still work. Checked from the host too: the kernel's uid, the files it tried to write, the modes of
// the server's secrets. A worker without bubblewrap refuses kernels and says how to fix it.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Attempt {
  ok: boolean;
  value?: string;
  code?: string;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const BWRAP = '/usr/bin/bwrap';
const asRoot = process.getuid?.() === 0;
const ENDED = ['ok', 'error', 'interrupted', 'timeout', 'memory-limit', 'kernel-died'];

function sandboxSkipReason(): string | null {
  if (existsSync(BWRAP)) return null;
  if (IN_CI) throw new Error(`bubblewrap is missing (${BWRAP}); CI requires it (.ci/run installs it)`);
  return `bubblewrap is missing (${BWRAP}); skipping (set CI=true to make this a failure)`;
}

/** Writes the cells into a new notebook, runs them all in order and returns each cell's outputs. */
async function runNotebook(server: ServerProcess, api: Json, token: string, name: string, sources: string[]): Promise<Json[][]> {
  const notebookId = (await api.post('/api/notebooks', { name })).json.id as string;
  const client = connectCollab(server.url, notebookId, token);
  await client.synced();
  const cells = cellsOf(client.doc);
  client.doc.transact(() => {
    (cells.get(0).get(CELL_KEYS.source) as Y.Text).insert(0, sources[0]!);
    cells.push(sources.slice(1).map((source) => createYCell({ cell_type: 'code', source })));
  });
  await eventually(
    async () => {
      const check = connectCollab(server.url, notebookId, token);
      await check.synced();
      const n = cellsOf(check.doc).length;
      check.destroy();
      return n === sources.length;
    },
    10_000,
    'the cells to be stored',
  );
  const run = await api.post(`/api/notebooks/${notebookId}/run`, {});
  assert.equal(run.status, 202, JSON.stringify(run.json));
  const ids = (run.json.queued as Json[]).map((q) => q.executionId as string);
  await eventually(
    async () => {
      const queue = (await api.get(`/api/notebooks/${notebookId}/executions`)).json.executions as Json[];
      return ids.every((id) => ENDED.includes(queue.find((e) => e.executionId === id)?.status));
    },
    120_000,
    `the cells of ${name} to run`,
  );
  // Outputs reach the document just after the execution ends.
  let outputs: Json[][] = [];
  await eventually(
    async () => {
      const check = connectCollab(server.url, notebookId, token);
      await check.synced();
      outputs = cellsOf(check.doc)
        .toArray()
        .map((cell) => cellToData(cell).outputs as Json[]);
      check.destroy();
      return outputs.every((o) => o.length > 0);
    },
    10_000,
    `the outputs of ${name}`,
  );
  client.destroy();
  return outputs;
}

/** The one JSON line a probe cell printed; an error output fails with the cell's message. */
function reportOf(outputs: Json[], what: string): Attempt {
  const error = outputs.find((o) => o.output_type === 'error');
  assert.equal(error, undefined, `${what}: ${error?.ename}: ${error?.evalue}`);
  const text = outputs.map((o) => (o.output_type === 'stream' ? o.text : '')).join('');
  return JSON.parse(text.trim().split('\n').pop()!) as Attempt;
}

/** Host processes running a kernel (node on kernel-entry.mjs) below the given server process. */
function hostKernels(serverPid: number): Array<{ pid: number; uid: number }> {
  const parentOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
  const below = (pid: number) => {
    for (let p = pid; p > 1; p = parentOf(p)) if (p === serverPid) return true;
    return false;
  };
  const found: Array<{ pid: number; uid: number }> = [];
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (!argv[0]!.endsWith('/node') || !argv.some((a) => a.endsWith('kernel-entry.mjs'))) continue;
      if (!below(Number(name))) continue;
      const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${name}/status`, 'utf8'))![1]);
      found.push({ pid: Number(name), uid });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

for (const config of BACKENDS) {
  describe(`kernel sandbox on ${config.name}`, () => {
    let server: ServerProcess;
    let owner: Awaited<ReturnType<typeof ownerSession>>;
    let skip: string | null = null;
    before(async () => {
      skip = (await serverSkipReason(config)) ?? sandboxSkipReason();
      if (skip) return;
      server = await startServerProcess({ db: config.db, nats: config.nats });
      owner = await ownerSession(server);
    });
    after(async () => server?.dispose());

    test('the worker says it sandboxes kernels, in its log and on the Workers page', async (c) => {
      if (skip) return c.skip(skip);
      let workers: Json[] = [];
      await eventually(
        async () => {
          workers = (await owner.api.get('/api/workers')).json.workers as Json[];
          return workers.length > 0;
        },
        10_000,
        'a worker heartbeat',
      );
      assert.equal(workers[0]!.sandbox.mode, 'bubblewrap', JSON.stringify(workers[0]));
      assert.match(
        workers[0]!.sandbox.description,
        asRoot ? /^sandboxed \(bubblewrap, uid 200000–200999\)$/ : /^sandboxed \(bubblewrap, uid \d+ in a user namespace/,
      );
      assert.match(server.logs(), /embedded worker \S+ started; kernels: sandboxed \(bubblewrap/);
    });

    test("a cell cannot reach the server's files, environment or processes, nor another kernel", async (c) => {
      if (skip) return c.skip(skip);
      const lock = JSON.parse(readFileSync(join(server.dataDir, 'server.json'), 'utf8')) as { adminKey: string };
      const editor = await addUser(server, { email: `editor-${randomUUID().slice(0, 8)}@example.test`, role: 'editor' });
      const serverPid = server.proc.pid!;

      // Another notebook's kernel, running: its host pid and uid as the host sees them.
      const [bOut] = await runNotebook(server, editor.api, editor.token, 'neighbour', [
        'console.log(JSON.stringify({ ok: true, value: String(process.getuid()) }))',
      ]);
      const bUid = Number(reportOf(bOut!, 'neighbour').value);
      const [neighbour, ...others] = hostKernels(serverPid);
      assert.ok(neighbour, 'the neighbour kernel runs on the host');
      assert.deepEqual(others, [], 'only the neighbour kernel runs yet');
      assert.equal(neighbour.uid, bUid, 'its uid inside is its real uid on the host');
      if (asRoot) assert.notEqual(neighbour.uid, 0, 'a root worker runs kernels as another uid');

      // The signing key exists on the host (created at a device's enrollment), as do the data dirs.
      const enrollment = await owner.api.post('/api/enrollment-tokens', { workspaceId: owner.workspaceId, deviceName: 'probe' });
      assert.equal(enrollment.status, 201, JSON.stringify(enrollment.json));
      const enrolled = await owner.api.post('/api/device/enroll', { token: enrollment.json.token });
      assert.equal(enrolled.status, 201, JSON.stringify(enrolled.json));
      const secrets = {
        lock: join(server.dataDir, 'server.json'),
        key: join(server.dataDir, 'manifest-signing-key.pem'),
        artifacts: join(server.dataDir, 'artifacts'),
        db: join(server.dataDir, 'db'),
      };
      assert.equal(mode(server.dataDir), '700');
      assert.equal(mode(secrets.lock), '600');
      assert.equal(mode(secrets.key), '600');
      assert.equal(mode(secrets.artifacts), '700');
      if (config.db === 'pglite') assert.equal(mode(secrets.db), '700');

      const marker = `ferry-escape-${randomUUID()}`;
      const J = JSON.stringify;
      const probes: Array<[string, string]> = [
        ['read server.json', `fs.readFileSync(${J(secrets.lock)}, 'utf8')`],
        ['read the signing key', `fs.readFileSync(${J(secrets.key)}, 'utf8')`],
        ['list the data dir', `fs.readdirSync(${J(server.dataDir)}).join()`],
        ['list the database dir', `fs.readdirSync(${J(secrets.db)}).join()`],
        ['list the artifacts', `fs.readdirSync(${J(secrets.artifacts)}).join()`],
        ["read the parent's environ", `fs.readFileSync('/proc/' + process.ppid + '/environ', 'utf8')`],
        ["read pid 1's environ", `fs.readFileSync('/proc/1/environ', 'utf8')`],
        ["read the server's environ", `fs.readFileSync('/proc/${serverPid}/environ', 'utf8')`],
        ['signal the server', `process.kill(${serverPid}, 0)`],
        ["kill the neighbour's kernel", `process.kill(${neighbour.pid}, 'SIGKILL')`],
        ['write into the repo', `fs.writeFileSync(${J(join(root, marker))}, 'x')`],
        ['write into the code', `fs.writeFileSync(${J(join(root, 'workers', marker))}, 'x')`],
        ['write into /tmp', `fs.writeFileSync(${J(`/tmp/${marker}`)}, 'x')`],
        ['write into home', `fs.writeFileSync(process.env.HOME + '/' + ${J(marker)}, 'x')`],
        ['print the environment', 'JSON.stringify(process.env)'],
        ['uid', 'process.getuid()'],
        ['limits', "fs.readFileSync('/proc/self/limits', 'utf8')"],
      ];
      const setup = `import * as fs from 'node:fs';
const attempt = (f: () => unknown) => {
  try {
    return { ok: true, value: String(f()) };
  } catch (e) {
    return { ok: false, code: (e as { code?: string }).code ?? String(e) };
  }
};
console.log(JSON.stringify({ ok: true, value: 'ready' }));`;
      const works = `import * as ort from 'onnxruntime-node';
await ferry.logParams({ sandboxed: 'yes' });
console.log(JSON.stringify({ ok: true, value: tf.getBackend() + ' ' + typeof ort.InferenceSession.create + ' ' + tf.tensor([1, 2, 3]).sum().dataSync()[0] }));`;
      const outputs = await runNotebook(server, editor.api, editor.token, 'escape', [
        setup,
        ...probes.map(([, expr]) => `console.log(JSON.stringify(attempt(() => ${expr})));`),
        works,
      ]);
      const result = Object.fromEntries(probes.map(([name], i) => [name, reportOf(outputs[i + 1]!, name)]));
      const denied = (name: string, code: string) => assert.deepEqual(result[name], { ok: false, code }, name);

      denied('read server.json', 'ENOENT');
      denied('read the signing key', 'ENOENT');
      denied('list the data dir', 'ENOENT');
      denied('list the database dir', 'ENOENT');
      denied('list the artifacts', 'ENOENT');
      denied("read the server's environ", 'ENOENT');
      denied('signal the server', 'ESRCH');
      denied("kill the neighbour's kernel", 'ESRCH');
      assert.ok(existsSync(`/proc/${neighbour.pid}`), 'the neighbour kernel lives on');
      const secretValues = [lock.adminKey, server.env.DATABASE_URL, server.env.NATS_URL, server.dataDir].filter(Boolean) as string[];
      for (const name of ["read the parent's environ", "read pid 1's environ"]) {
        const r = result[name]!;
        const shown = r.value ?? '';
        // A root worker's sandbox init is root's: unreadable. Otherwise it holds only PATH and the IPC fd.
        if (asRoot) assert.deepEqual(r, { ok: false, code: 'EACCES' }, name);
        for (const secret of secretValues) assert.ok(!shown.includes(secret), `${name} shows ${secret}`);
        assert.ok(!/DATABASE_URL|NATS_URL|FERRY_/.test(shown), `${name}: ${shown}`);
      }

      assert.equal(result['write into the repo']!.ok, false);
      assert.deepEqual(result['write into the code'], { ok: false, code: 'EROFS' });
      assert.equal(result['write into /tmp']!.ok, true, 'its own /tmp is writable');
      assert.equal(result['write into home']!.ok, true, 'its own home is writable');
      assert.ok(!existsSync(join(root, marker)) && !existsSync(join(root, 'workers', marker)), 'nothing written into the repo');
      assert.ok(!existsSync(`/tmp/${marker}`), "the kernel's /tmp is not the host's");

      const env = JSON.parse(result['print the environment']!.value!) as Record<string, string>;
      assert.deepEqual(
        Object.keys(env).filter((k) => /DATABASE_URL|NATS_URL|^FERRY_|S3|SECRET|NODE_OPTIONS/.test(k)),
        [],
      );
      for (const secret of secretValues) assert.ok(!Object.values(env).some((v) => v.includes(secret)), `the env shows ${secret}`);

      const uid = Number(result.uid!.value);
      assert.equal(uid, hostKernels(serverPid).find((k) => k.pid !== neighbour.pid)?.uid, "the kernel's uid as the host sees it");
      if (asRoot) {
        assert.notEqual(uid, 0);
        assert.notEqual(uid, neighbour.uid, 'each kernel has its own uid');
        assert.ok(uid >= 200_000 && uid < 201_000, `uid ${uid} is from the kernel range`);
      }
      const limits = result.limits!.value!;
      assert.match(limits, /Max cpu time\s+86400\s+86405\s+seconds/);
      assert.match(limits, /Max processes\s+512\s+512\s/);
      assert.match(limits, /Max open files\s+1024\s+1024\s/);
      assert.match(limits, /Max file size\s+1073741824\s+1073741824\s+bytes/);

      // What a kernel is for still works inside: tfjs on wasm, onnxruntime, the Ferry API on loopback.
      assert.deepEqual(reportOf(outputs[probes.length + 1]!, 'tfjs, onnxruntime and ferry'), { ok: true, value: 'wasm function 6' });
    });
  });
}

describe('a worker without bubblewrap', () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess({ db: 'pglite', env: { FERRY_KERNEL_BWRAP: '/nonexistent/bwrap' } });
  });
  after(async () => server?.dispose());

  test('refuses kernels: the Workers page and the log say so, a cell gets the fix', async () => {
    const owner = await ownerSession(server);
    let workers: Json[] = [];
    await eventually(
      async () => {
        workers = (await owner.api.get('/api/workers')).json.workers as Json[];
        return workers.length > 0;
      },
      10_000,
      'a worker heartbeat',
    );
    assert.deepEqual(workers[0]!.sandbox, {
      mode: 'refused',
      description: 'refused (no sandbox): bubblewrap is not installed (/nonexistent/bwrap is missing)',
    });
    assert.match(server.logs(), /warn .*embedded worker \S+ started; kernels: refused \(no sandbox\): bubblewrap is not installed/);
    const [outputs] = await runNotebook(server, owner.api, owner.token, 'refused', ["console.log('never')"]);
    const error = outputs!.find((o) => o.output_type === 'error');
    assert.ok(error, JSON.stringify(outputs));
    assert.match(error.evalue, /refuses to start kernels without a sandbox: bubblewrap is not installed/);
    assert.match(error.evalue, /apt-get install bubblewrap/);
    assert.match(error.evalue, /FERRY_UNSAFE_KERNELS=1/);
    assert.ok(!outputs!.some((o) => o.output_type === 'stream'), 'the cell did not run');
  });
});
