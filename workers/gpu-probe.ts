import { execFile } from 'node:child_process';

/**
 * The first NVIDIA GPU (name, memory), read from nvidia-smi when it is installed; null otherwise.
 * Reported in heartbeats so trainings that need a GPU go to this worker; whether TensorFlow.js
 * can use it depends on the tfjs-node-gpu backend being present (see README, optional GPU backend).
 */
export function probeGpu(): Promise<{ name: string; memoryMb: number } | null> {
  return new Promise((resolve) => {
    execFile('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits'], { timeout: 5000 }, (error, stdout) => {
      if (error) return resolve(null);
      const [name, memory] = stdout
        .split('\n')[0]!
        .split(',')
        .map((s) => s.trim());
      const memoryMb = Number(memory);
      resolve(name && Number.isFinite(memoryMb) ? { name, memoryMb } : null);
    });
  });
}
