import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface AgentProcess {
  url: string;
  dataDir: string;
  proc: ChildProcess;
  logs(): string;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

/** Runs `npm run agent`'s entry as a real child process with its own data dir. */
export function runAgentCommand(args: string[], env: Record<string, string> = {}, dataDir = mkdtempSync(join(tmpdir(), 'ferry-agent-'))) {
  const proc = spawn(process.execPath, ['scripts/run-agent.mjs', '--data-dir', dataDir, '--port', '0', ...args], {
    cwd: root,
    env: { ...process.env, FERRY_AGENT_POLL_MS: '300', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, dataDir, exited, output: () => output };
}

export async function startAgent(server: string, token: string, env: Record<string, string> = {}): Promise<AgentProcess> {
  const run = runAgentCommand(['--server', server, '--enroll', token], env);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent did not start:\n${run.output()}`)), 60_000);
    const check = () => {
      const match = run.output().match(/serving predictions on (http:\/\/\S+)\/predict/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    run.proc.stdout!.on('data', check);
    void run.exited.then((code) => reject(new Error(`agent exited with ${code}:\n${run.output()}`)));
  });
  const stop = async () => {
    if (run.proc.exitCode === null) run.proc.kill('SIGTERM');
    await run.exited;
  };
  return {
    url,
    dataDir: run.dataDir,
    proc: run.proc,
    logs: run.output,
    stop,
    async dispose() {
      await stop();
      rmSync(run.dataDir, { recursive: true, force: true });
    },
  };
}
