import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { claimKernelUid, sweepStaleKernelUids } from './kernel-uids';
import type { KernelSandboxConfig } from './sandbox-config';
import { buildSandboxCommand, SANDBOX_HOME, SANDBOX_TMP } from './sandbox-command';

// How a worker starts kernel processes: inside a bubblewrap sandbox (the default), unsandboxed when
// the operator said so (FERRY_UNSAFE_KERNELS=1), or not at all when the sandbox is missing or broken.
// Which one is decided once, at worker start, by a self-test that starts a sandboxed node.

export type SandboxMode = 'bubblewrap' | 'unsafe' | 'refused';

export interface LaunchedKernel {
  child: ChildProcess;
  /** The host uid the kernel runs as. */
  uid: number;
}

export interface KernelLauncher {
  readonly mode: SandboxMode;
  /** One line for the worker's log, its heartbeat and the Workers page. */
  readonly description: string;
  /** Starts node on the script with an IPC channel; throws, naming the fix, when kernels are refused. */
  launch(script: string, nodeArgs: string[]): LaunchedKernel;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
/** What a kernel loads: its own code, the shared core, the packages. Not the repo root (the data dir's default home). */
const CODE_PATHS = ['workers', 'core', 'node_modules', 'package.json', 'tsconfig.json'].map((p) => join(root, p));
const ROOT_ENTRIES = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
const SELF_TEST_TIMEOUT_MS = 30_000;
const BWRAP_ENV: Record<string, string> = { PATH: '/usr/bin:/bin' };

/** The worker-side env of an unsandboxed kernel: no database URL, NATS URL or server secret. */
function scrubbedEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR', 'NODE_ENV', 'CUDA_VISIBLE_DEVICES', 'LD_LIBRARY_PATH'];
  return Object.fromEntries(keep.flatMap((k) => (process.env[k] === undefined ? [] : [[k, process.env[k]!]])));
}

/** The env inside the sandbox: fixed paths, plus what a GPU build needs, plus Node's IPC channel (fd 3). */
function sandboxEnv(): Record<string, string> {
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: SANDBOX_HOME,
    TMPDIR: SANDBOX_TMP,
    LANG: process.env.LANG ?? 'C.UTF-8',
    NODE_CHANNEL_FD: '3',
    NODE_CHANNEL_SERIALIZATION_MODE: 'json',
  };
  for (const k of ['TZ', 'NODE_ENV', 'CUDA_VISIBLE_DEVICES', 'LD_LIBRARY_PATH']) if (process.env[k] !== undefined) env[k] = process.env[k]!;
  return env;
}

function rootEntries() {
  return ROOT_ENTRIES.flatMap((path) => {
    try {
      return [{ path, symlinkTo: lstatSync(path).isSymbolicLink() ? readlinkSync(path) : null }];
    } catch {
      return [];
    }
  });
}

function gpuDevices(): string[] {
  try {
    return readdirSync('/dev')
      .filter((name) => name.startsWith('nvidia'))
      .map((name) => `/dev/${name}`);
  } catch {
    return [];
  }
}

const runningAsRoot = () => process.getuid?.() === 0;

function bubblewrapLauncher(config: KernelSandboxConfig): KernelLauncher {
  const node = realpathSync(process.execPath);
  const { base, count } = config.uidRange;
  if (runningAsRoot()) sweepStaleKernelUids();
  return {
    mode: 'bubblewrap',
    description: runningAsRoot()
      ? `sandboxed (bubblewrap, uid ${base}–${base + count - 1})`
      : `sandboxed (bubblewrap, uid ${process.getuid?.()} in a user namespace: run the worker as root for a uid per kernel)`,
    launch(script, nodeArgs) {
      const claim = runningAsRoot() ? claimKernelUid(config.uidRange) : null;
      const { file, args } = buildSandboxCommand({
        bwrap: config.bwrap,
        node,
        nodeArgs: [...nodeArgs, script],
        codeRoot: root,
        codePaths: CODE_PATHS,
        hiddenPaths: config.hiddenPaths.filter((p) => existsSync(p)),
        rootEntries: rootEntries(),
        devices: gpuDevices(),
        uid: claim?.uid ?? null,
        limits: config.limits,
        env: sandboxEnv(),
      });
      let child: ChildProcess;
      try {
        // bwrap's own environment is readable inside as /proc/1/environ: it gets nothing but PATH.
        child = spawn(file, args, { cwd: '/', env: BWRAP_ENV as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
      } catch (error) {
        claim?.release();
        throw error;
      }
      child.once('exit', () => claim?.release());
      child.once('error', () => claim?.release());
      return { child, uid: claim?.uid ?? process.getuid?.() ?? -1 };
    },
  };
}

function unsafeLauncher(): KernelLauncher {
  return {
    mode: 'unsafe',
    description: 'UNSAFE: kernels not sandboxed (FERRY_UNSAFE_KERNELS=1)',
    launch(script, nodeArgs) {
      const child = fork(script, [], {
        cwd: process.cwd(),
        env: scrubbedEnv() as NodeJS.ProcessEnv,
        execArgv: nodeArgs,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      return { child, uid: process.getuid?.() ?? -1 };
    },
  };
}

function refusedLauncher(reason: string): KernelLauncher {
  const message =
    `this worker refuses to start kernels without a sandbox: ${reason}. ` +
    'Install bubblewrap on the worker machine (apt-get install bubblewrap) and restart the worker, ' +
    'or set FERRY_UNSAFE_KERNELS=1 to run kernels unsandboxed';
  return {
    mode: 'refused',
    description: `refused (no sandbox): ${reason}`,
    launch() {
      throw new Error(message);
    },
  };
}

/** What the self-test kernel reports from inside. */
interface SelfReport {
  uid: number;
  processes: number;
  visibleHidden: string[];
  homeWritable: boolean;
}

const SELF_TEST_SCRIPT = `
const fs = require('node:fs');
const hidden = JSON.parse(process.argv[1]);
let homeWritable = true;
try { fs.writeFileSync(process.env.HOME + '/.ferry-self-test', 'ok'); } catch { homeWritable = false; }
process.send({
  uid: process.getuid(),
  processes: fs.readdirSync('/proc').filter((n) => /^[0-9]+$/.test(n)).length,
  visibleHidden: hidden.filter((p) => { try { return fs.readdirSync(p).length > 0; } catch { return false; } }),
  homeWritable,
}, () => process.disconnect());
`;

function selfTest(launcher: KernelLauncher, config: KernelSandboxConfig): Promise<string | null> {
  const hidden = config.hiddenPaths.filter((p) => existsSync(p));
  let launched: LaunchedKernel;
  try {
    launched = launcher.launch(JSON.stringify(hidden), ['-e', SELF_TEST_SCRIPT]);
  } catch (error) {
    return Promise.resolve(`the sandbox did not start: ${(error as Error).message}`);
  }
  const { child, uid } = launched;
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  child.stdout?.resume();
  return new Promise((resolve) => {
    let report: SelfReport | null = null;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('the sandbox self-test did not answer in time');
    }, SELF_TEST_TIMEOUT_MS);
    child.on('message', (msg: SelfReport) => (report = msg));
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve(`${config.bwrap} could not be run: ${error.message}`);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      const tail = stderr.trim().split('\n').slice(-2).join(' ');
      if (!report) return resolve(`the sandbox self-test failed (exit code ${code})${tail ? `: ${tail}` : ''}`);
      if (report.uid !== uid || (runningAsRoot() && report.uid === 0)) return resolve(`the sandboxed kernel ran as uid ${report.uid}`);
      if (report.processes > 3) return resolve(`the sandboxed kernel sees ${report.processes} processes: no pid namespace`);
      if (report.visibleHidden.length) return resolve(`the sandboxed kernel sees ${report.visibleHidden.join(', ')}`);
      if (!report.homeWritable) return resolve('the sandboxed kernel cannot write its home');
      resolve(null);
    });
  });
}

/** Decides how this worker starts kernels: sandboxed if the self-test passes, else refused (or unsafe on request). */
export async function prepareKernelLauncher(config: KernelSandboxConfig): Promise<KernelLauncher> {
  if (config.unsafe) return unsafeLauncher();
  if (!existsSync(config.bwrap)) return refusedLauncher(`bubblewrap is not installed (${config.bwrap} is missing)`);
  const launcher = bubblewrapLauncher(config);
  const failure = await selfTest(launcher, config);
  return failure ? refusedLauncher(failure) : launcher;
}
