import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import yaml from 'js-yaml';
import { AGENT_ENV_VARS } from '../edge-agent/env';
import { parseServerEnv, SERVER_ENV_KEYS } from '../server/env';
import { parseWorkerEnv, WORKER_ENV_KEYS } from '../workers/env';

// No container engine runs here, so the deployment files are checked statically: they parse, every
// variable they set is one the process reads (and its value passes the process's own validation),
// the commands are npm scripts that exist, and ports and probes match the code.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const scripts = (JSON.parse(read('../package.json')) as { scripts: Record<string, string> }).scripts;
const docs = (path: string) => yaml.loadAll(read(path)) as Json[];

/** `npm start` / `npm run worker` name scripts package.json has. */
function assertNpmCommand(argv: string[], where: string) {
  assert.equal(argv[0], 'npm', `${where}: runs through npm`);
  const script = argv[1] === 'start' ? 'start' : argv[1] === 'run' ? argv[2] : undefined;
  assert.ok(script && scripts[script], `${where}: "${argv.join(' ')}" is an npm script of package.json`);
}

function assertKnown(vars: string[], known: readonly string[], where: string) {
  const unknown = vars.filter((v) => !known.includes(v));
  assert.deepEqual(unknown, [], `${where}: variables no process reads`);
}

test('the Dockerfile has the three targets, each running as the unprivileged user, with npm scripts that exist', () => {
  const dockerfile = read('./Dockerfile');
  for (const target of ['server', 'worker', 'agent']) {
    const stage = dockerfile.split(/^FROM /m).find((s) => new RegExp(`AS ${target}\\s*$`, 'm').test(s.split('\n')[0]!));
    assert.ok(stage, `a "${target}" stage`);
    assert.match(stage, /^USER ferry$/m, `${target} runs as ferry`);
    const cmd = /^CMD (\[.*\])$/m.exec(stage)?.[1];
    assert.ok(cmd, `${target} has a CMD`);
    assertNpmCommand(JSON.parse(cmd) as string[], `Dockerfile ${target}`);
    const envs = [...stage.matchAll(/^ENV (.+)$/gm)].flatMap((m) => [...m[1]!.matchAll(/(\w+)=/g)].map((v) => v[1]!));
    assertKnown(
      envs.filter((e) => e !== 'NODE_ENV'),
      target === 'agent' ? AGENT_ENV_VARS : SERVER_ENV_KEYS,
      `Dockerfile ${target}`,
    );
  }
  assert.match(dockerfile, /apt-get install .*bubblewrap/, 'the worker image has the kernel sandbox');
  assert.match(dockerfile, /EXPOSE 3000/);
  assert.match(dockerfile, /EXPOSE 8700/);
  assert.ok(existsSync(new URL('../app/api/health/route.ts', import.meta.url)), 'the health check path exists');
});

test('docker-compose: PostgreSQL, NATS with JetStream, MinIO, two servers behind the proxy, two workers; their settings validate', () => {
  const compose = docs('./docker-compose.yml')[0]!;
  const services = compose.services as Record<string, Json>;
  for (const name of ['postgres', 'nats', 'minio', 'server-1', 'server-2', 'proxy', 'worker-1', 'worker-2'])
    assert.ok(services[name], name);
  assert.ok((services.nats!.command as string[]).includes('-js'), 'NATS runs JetStream');
  for (const name of ['server-1', 'server-2']) {
    const env = services[name]!.environment as Record<string, string>;
    assertKnown(Object.keys(env), SERVER_ENV_KEYS, name);
    const parsed = parseServerEnv(env as NodeJS.ProcessEnv);
    assert.equal(parsed.FERRY_EMBEDDED_WORKERS, 0, 'servers leave kernels to the workers');
    assert.match(parsed.DATABASE_URL!, /@postgres:5432\//);
    assert.match(parsed.NATS_URL!, /^nats:\/\/nats:4222$/);
    assert.match(parsed.FERRY_S3_ENDPOINT!, /^http:\/\/minio:9000$/);
  }
  for (const name of ['worker-1', 'worker-2']) {
    const env = services[name]!.environment as Record<string, string>;
    assertKnown(Object.keys(env), WORKER_ENV_KEYS, name);
    assert.equal(parseWorkerEnv(env as NodeJS.ProcessEnv).workerId, name);
    assert.ok((services[name]!.security_opt as string[]).includes('seccomp=unconfined'), `${name} may make user namespaces`);
  }
  const nginx = read('./nginx.conf');
  assert.match(nginx, /server server-1:3000;/);
  assert.match(nginx, /server server-2:3000;/);
  assert.match(nginx, /proxy_set_header Upgrade \$http_upgrade;/, 'websockets pass');
  assert.deepEqual(services.proxy!.ports, ['8080:8080']);
  assert.match(nginx, /listen 8080;/);
});

test('Kubernetes: servers probed on /api/health at the port they listen on, websockets through the ingress, GPU workers request a GPU, config from the Secret', () => {
  const secret = docs('./k8s/secret.example.yaml')[0]!;
  const config = secret.stringData as Record<string, string>;
  assertKnown(Object.keys(config), [...new Set([...SERVER_ENV_KEYS, ...WORKER_ENV_KEYS])], 'ferry-config Secret');
  const server = docs('./k8s/server.yaml');
  const deployment = server.find((d) => d.kind === 'Deployment')!;
  const container = deployment.spec.template.spec.containers[0] as Json;
  assertNpmCommand(container.args as string[], 'server Deployment');
  const env = Object.fromEntries((container.env as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]));
  assertKnown(Object.keys(env), SERVER_ENV_KEYS, 'server Deployment');
  const parsed = parseServerEnv({ ...config, ...env } as NodeJS.ProcessEnv);
  assert.equal(container.ports[0].containerPort, parsed.PORT);
  for (const probe of [container.readinessProbe, container.livenessProbe]) {
    assert.equal(probe.httpGet.path, '/api/health');
    assert.equal(probe.httpGet.port, container.ports[0].name);
  }
  assert.equal(deployment.spec.template.spec.securityContext.runAsNonRoot, true);
  const ingress = server.find((d) => d.kind === 'Ingress')!;
  assert.ok(Number(ingress.metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']) >= 3600, 'long-lived websockets');
  const service = server.find((d) => d.kind === 'Service')!;
  assert.equal(service.spec.ports[0].targetPort, 'http');

  const workers = docs('./k8s/worker.yaml');
  for (const w of workers) {
    const c = w.spec.template.spec.containers[0] as Json;
    assertNpmCommand(c.args as string[], w.metadata.name as string);
    const wenv = Object.fromEntries((c.env as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]));
    assertKnown(Object.keys(wenv), WORKER_ENV_KEYS, w.metadata.name as string);
    parseWorkerEnv({ ...config, ...wenv } as NodeJS.ProcessEnv);
    assert.equal(w.spec.template.spec.securityContext.seccompProfile.type, 'Unconfined');
  }
  const gpu = workers.find((w) => w.metadata.name === 'ferry-worker-gpu')!;
  assert.equal(gpu.spec.template.spec.containers[0].resources.requests['nvidia.com/gpu'], 1);
});

test('the agent’s systemd unit runs the agent script with settings the agent reads', () => {
  const unit = read('./systemd/ferry-agent.service');
  const exec = /^ExecStart=(.+)$/m.exec(unit)?.[1]!.split(' ');
  assert.ok(exec);
  assertNpmCommand([exec[0]!.split('/').pop()!, ...exec.slice(1)], 'ferry-agent.service');
  const envs = [...unit.matchAll(/^Environment=(\w+)=/gm)].map((m) => m[1]!);
  const file = read('./systemd/agent.env.example')
    .split('\n')
    .filter((l) => /^\w+=/.test(l))
    .map((l) => l.split('=')[0]!);
  assertKnown([...envs, ...file], AGENT_ENV_VARS, 'agent unit and env file');
  assert.match(unit, /^User=ferry$/m);
  assert.match(unit, /^Restart=always$/m);
});
