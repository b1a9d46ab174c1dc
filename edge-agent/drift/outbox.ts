import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { DriftReport } from '../../core/contracts/api/device';

// Reports wait on disk until the server has them: written with fsync before sending, deleted only
// after the server accepted them. The idempotency key makes a resend after a lost reply count once.

export class Outbox<T extends { idempotencyKey: string } = DriftReport> {
  private readonly dir: string;
  private flushing: Promise<number> | null = null;

  constructor(dataDir: string, name = 'outbox') {
    this.dir = join(dataDir, name);
    mkdirSync(this.dir, { recursive: true });
  }

  put(report: Omit<T, 'idempotencyKey'>): T {
    const full = { ...report, idempotencyKey: randomUUID() } as T;
    const name = `${Date.now().toString().padStart(15, '0')}-${full.idempotencyKey}.json`;
    const temp = join(this.dir, `${name}.tmp`);
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(full));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, join(this.dir, name));
    return full;
  }

  pending(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  }

  /** Sends what is waiting, oldest first; stops at the first failure and keeps the rest. */
  flush(send: (report: T) => Promise<void>): Promise<number> {
    if (this.flushing) return this.flushing;
    const run = this.sendAll(send);
    this.flushing = run;
    const clear = () => {
      if (this.flushing === run) this.flushing = null;
    };
    run.then(clear, clear);
    return run;
  }

  private async sendAll(send: (report: T) => Promise<void>): Promise<number> {
    let sent = 0;
    for (const file of this.pending()) {
      const path = join(this.dir, file);
      await send(JSON.parse(readFileSync(path, 'utf8')) as T);
      rmSync(path);
      sent++;
    }
    return sent;
  }
}
