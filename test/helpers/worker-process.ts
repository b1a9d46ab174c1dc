import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { natsTestUrl } from './services';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface WorkerProcess {
  id: string;
  proc: ChildProcess;
  logs(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `npm run worker` as a real process on the test NATS, with its own id and environment. */
export async function startWorkerProcess(id: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    cwd: root,
    env: { ...process.env, NATS_URL: natsTestUrl(), FERRY_WORKER_ID: id, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${id} did not join:\n${output}`)), 60_000);
    const check = () => {
      if (output.includes('joined via')) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on('data', check);
    proc.once('exit', (code) => reject(new Error(`worker ${id} exited with ${code}:\n${output}`)));
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return {
    id,
    proc,
    logs: () => output,
    async kill(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
    },
  };
}
