import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort } from '../../test/helpers/services';
import { INSPECT_FLAG, inspectorUrlIn } from './inspector';

// The reference: @y/websocket-server 0.1.1 (the y-websocket server for yjs 13), as its own process,
// in memory (no persistence configured), as most deployments of it run.

export interface ReferenceServer {
  url: string;
  pid: number;
  inspectorUrl: string;
  stop(): Promise<void>;
}

export async function startReferenceServer(): Promise<ReferenceServer> {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@y/websocket-server/package.json');
  const script = join(dirname(pkg), 'src', 'server.js');
  const port = await freePort();
  const proc: ChildProcess = spawn(process.execPath, [INSPECT_FLAG, script], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`reference server did not start:\n${out}`)), 20_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      if (out.includes('running at') && inspectorUrlIn(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`reference server exited with ${code}:\n${out}`)));
  });
  return {
    url: `ws://127.0.0.1:${port}`,
    pid: proc.pid!,
    inspectorUrl: inspectorUrlIn(out)!,
    stop: () =>
      new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
