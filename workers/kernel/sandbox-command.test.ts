import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSandboxCommand, PRLIMIT, SANDBOX_HOME, SETPRIV, type SandboxCommandOptions } from './sandbox-command';

const options = (over: Partial<SandboxCommandOptions> = {}): SandboxCommandOptions => ({
  bwrap: '/usr/bin/bwrap',
  node: '/usr/bin/node',
  nodeArgs: ['--max-old-space-size=512', '/srv/ferry/workers/kernel/kernel-entry.mjs'],
  codeRoot: '/srv/ferry',
  codePaths: ['/srv/ferry/workers', '/srv/ferry/node_modules', '/srv/ferry/package.json'],
  hiddenPaths: [],
  rootEntries: [
    { path: '/lib', symlinkTo: 'usr/lib' },
    { path: '/lib64', symlinkTo: null },
  ],
  devices: [],
  uid: 200_007,
  limits: { cpuSeconds: 60, maxProcs: 128, maxOpenFiles: 256, maxFileBytes: 1_048_576, tmpBytes: 8_388_608 },
  env: { PATH: '/usr/bin:/bin', HOME: SANDBOX_HOME, NODE_CHANNEL_FD: '3' },
  ...over,
});

/** The values following each occurrence of a flag (e.g. every --ro-bind's source). */
const after = (args: string[], flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));

test('a root worker: every namespace but the user one, then a real uid change after the limits', () => {
  const { file, args } = buildSandboxCommand(options());
  assert.equal(file, '/usr/bin/bwrap');
  for (const flag of ['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--die-with-parent', '--new-session', '--clearenv']) {
    assert.ok(args.includes(flag), flag);
  }
  assert.ok(!args.includes('--unshare-all'), 'a user namespace made by root would map to host root');
  assert.ok(!args.includes('--unshare-net'), 'the kernel reaches the Ferry API on loopback');
  const command = args.slice(args.indexOf('--') + 1);
  assert.deepEqual(command.slice(0, 7), [PRLIMIT, '--cpu=60:65', '--nproc=128', '--nofile=256', '--fsize=1048576', '--core=0', '--']);
  const setpriv = command.slice(7, command.indexOf('--', 7) + 1);
  assert.deepEqual(setpriv, [
    SETPRIV,
    '--reuid=200007',
    '--regid=200007',
    '--clear-groups',
    '--inh-caps=-all',
    '--bounding-set=-all',
    '--no-new-privs',
    '--',
  ]);
  assert.deepEqual(command.slice(setpriv.length + 7), [
    '/usr/bin/node',
    '--max-old-space-size=512',
    '/srv/ferry/workers/kernel/kernel-entry.mjs',
  ]);
});

test('a non-root worker: all namespaces (the user one is its isolation) but the network, no uid change', () => {
  const { args } = buildSandboxCommand(options({ uid: null }));
  assert.deepEqual(args.slice(0, 2), ['--unshare-all', '--share-net']);
  assert.ok(!args.includes(SETPRIV));
});

test('only the code is bound, read-only, at its own path; the repo root and the data dir are not', () => {
  const { args } = buildSandboxCommand(
    options({ hiddenPaths: ['/srv/ferry/node_modules/.ferry-data', '/srv/ferry/.ferry'], node: '/opt/node/bin/node' }),
  );
  const roBinds = after(args, '--ro-bind');
  assert.deepEqual(roBinds, [
    '/usr',
    '/lib64',
    '/opt/node/bin/node',
    '/srv/ferry/workers',
    '/srv/ferry/node_modules',
    '/srv/ferry/package.json',
  ]);
  assert.ok(!after(args, '--bind').length, 'nothing of the host is writable');
  // A data dir inside bound code is covered; one outside it is not there at all.
  assert.deepEqual(after(args, '--tmpfs'), ['/tmp', SANDBOX_HOME, '/srv/ferry/node_modules/.ferry-data']);
  assert.equal(after(args, '--chdir')[0], '/srv/ferry');
  assert.deepEqual(after(args, '--symlink'), ['usr/lib']);
  assert.ok(args.includes('/lib'));
  // The directories above mount points exist before the mounts, so bwrap does not make them 0700.
  const dirs = after(args, '--dir');
  for (const dir of ['/etc', '/home', '/opt', '/opt/node', '/opt/node/bin', '/srv', '/srv/ferry']) assert.ok(dirs.includes(dir), dir);
  assert.ok(args.indexOf('--dir') < args.indexOf('/srv/ferry/workers'));
});

test('the environment is exactly the one given; tmpfs sizes and GPU devices are passed', () => {
  const { args } = buildSandboxCommand(options({ devices: ['/dev/nvidia0', '/dev/nvidiactl'] }));
  const set = args.flatMap((a, i) => (a === '--setenv' ? [`${args[i + 1]}=${args[i + 2]}`] : []));
  assert.deepEqual(set, ['PATH=/usr/bin:/bin', `HOME=${SANDBOX_HOME}`, 'NODE_CHANNEL_FD=3']);
  assert.ok(args.indexOf('--clearenv') < args.indexOf('--setenv'));
  assert.deepEqual(after(args, '--size'), ['8388608', '8388608']);
  assert.deepEqual(after(args, '--dev-bind'), ['/dev/nvidia0', '/dev/nvidiactl']);
  assert.deepEqual(after(args, '--proc'), ['/proc']);
  assert.deepEqual(after(args, '--dev'), ['/dev']);
});
