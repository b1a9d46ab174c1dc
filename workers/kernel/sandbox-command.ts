import { sep } from 'node:path';

// The bubblewrap command line of one kernel, built from plain options so that it can be read and
// tested without starting anything. The host facts it needs (which top-level dirs are symlinks,
// which GPU device nodes exist) are gathered by the caller.

export const SANDBOX_HOME = '/home/ferry';
export const SANDBOX_TMP = '/tmp';
export const PRLIMIT = '/usr/bin/prlimit';
export const SETPRIV = '/usr/bin/setpriv';

export interface SandboxLimits {
  cpuSeconds: number;
  maxProcs: number;
  maxOpenFiles: number;
  maxFileBytes: number;
  tmpBytes: number;
}

export interface SandboxCommandOptions {
  bwrap: string;
  /** The node binary (real path) and its arguments (heap limit, entry script). */
  node: string;
  nodeArgs: string[];
  /** The kernel's working directory; only codePaths below it are visible. */
  codeRoot: string;
  /** Host paths bound read-only at the same place: the code the kernel loads. */
  codePaths: string[];
  /** Existing host paths to cover with an empty tmpfs where they lie inside a bound path. */
  hiddenPaths: string[];
  /** Top-level entries such as /lib: a symlink (usr-merged systems) is recreated, a directory bound. */
  rootEntries: Array<{ path: string; symlinkTo: string | null }>;
  /** Device nodes passed through (GPUs), in addition to the minimal /dev. */
  devices: string[];
  /** Host uid (and gid) the kernel runs as; null keeps the caller's, isolated by a user namespace. */
  uid: number | null;
  limits: SandboxLimits;
  /** The kernel's whole environment. */
  env: Record<string, string>;
}

/** Read-only system files a Node process and its DNS/TLS lookups need; missing ones are skipped. */
const ETC_FILES = [
  '/etc/ssl',
  '/etc/ca-certificates',
  '/etc/resolv.conf',
  '/etc/hosts',
  '/etc/nsswitch.conf',
  '/etc/host.conf',
  '/etc/gai.conf',
  '/etc/localtime',
];

const isInside = (path: string, dir: string) => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

/** Directories above the mount points, made world-readable first: bwrap would create them 0700, shut to the kernel's uid. */
function parentDirs(mountPoints: string[]): string[] {
  const dirs = new Set<string>();
  for (const point of mountPoints) {
    const parts = point.split(sep).filter(Boolean);
    for (let i = 1; i < parts.length; i++) dirs.add(sep + parts.slice(0, i).join(sep));
  }
  return [...dirs].filter((d) => !isInside(d, '/usr')).sort();
}

/** The argv (file + args) that starts node inside the sandbox with the given limits and identity. */
export function buildSandboxCommand(o: SandboxCommandOptions): { file: string; args: string[] } {
  // A user namespace made by root maps its uid 0 to the host's root, so a root worker changes to a
  // real unprivileged uid instead (setpriv, inside) and uses every other namespace.
  const namespaces =
    o.uid === null ? ['--unshare-all', '--share-net'] : ['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try'];
  const args = [...namespaces, '--die-with-parent', '--new-session', '--hostname', 'ferry-kernel'];

  args.push('--ro-bind', '/usr', '/usr');
  for (const entry of o.rootEntries) {
    if (entry.symlinkTo !== null) args.push('--symlink', entry.symlinkTo, entry.path);
    else args.push('--ro-bind', entry.path, entry.path);
  }
  const nodeBind = isInside(o.node, '/usr') ? [] : [o.node];
  for (const dir of parentDirs([...ETC_FILES, ...nodeBind, SANDBOX_HOME, ...o.devices])) args.push('--dir', dir);
  for (const file of ETC_FILES) args.push('--ro-bind-try', file, file);
  for (const file of nodeBind) args.push('--ro-bind', file, file);
  args.push('--proc', '/proc', '--dev', '/dev');
  for (const device of o.devices) args.push('--dev-bind', device, device);

  const tmpfsSize = String(o.limits.tmpBytes);
  args.push('--perms', '1777', '--size', tmpfsSize, '--tmpfs', SANDBOX_TMP);
  // Owned by root when root builds the sandbox; the kernel is the only user inside, so 0777 is private.
  args.push('--perms', '0777', '--size', tmpfsSize, '--tmpfs', SANDBOX_HOME);

  // After the tmpfs mounts: a checkout under /tmp (CI clones, scratch copies) needs its parents made
  // inside the kernel's /tmp, where an implicit mkdir would leave them shut to the kernel's uid.
  const sandboxRoots = new Set([SANDBOX_TMP, SANDBOX_HOME]);
  for (const dir of parentDirs(o.codePaths)) if (!sandboxRoots.has(dir)) args.push('--dir', dir);
  for (const path of o.codePaths) args.push('--ro-bind', path, path);
  for (const hidden of o.hiddenPaths) if (o.codePaths.some((p) => isInside(hidden, p))) args.push('--tmpfs', hidden);
  args.push('--chdir', o.codeRoot);

  args.push('--clearenv');
  for (const [key, value] of Object.entries(o.env)) args.push('--setenv', key, value);

  const l = o.limits;
  args.push(
    '--',
    PRLIMIT,
    // The soft CPU limit sends SIGXCPU; the hard one, a little later, SIGKILL.
    `--cpu=${l.cpuSeconds}:${l.cpuSeconds + 5}`,
    `--nproc=${l.maxProcs}`,
    `--nofile=${l.maxOpenFiles}`,
    `--fsize=${l.maxFileBytes}`,
    '--core=0',
    '--',
  );
  if (o.uid !== null) {
    args.push(
      SETPRIV,
      `--reuid=${o.uid}`,
      `--regid=${o.uid}`,
      '--clear-groups',
      '--inh-caps=-all',
      '--bounding-set=-all',
      '--no-new-privs',
      '--',
    );
  }
  args.push(o.node, ...o.nodeArgs);
  return { file: o.bwrap, args };
}
