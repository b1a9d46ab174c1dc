// TensorFlow.js on the best backend present. The native ones (tfjs-node-gpu, tfjs-node) download
// libtensorflow when installed, which fails offline, so they are optional and tried at run time.

export interface LoadedTf {
  tf: unknown;
  backend: string;
  log: string[];
}

export async function loadBestTf(): Promise<LoadedTf> {
  const log: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      const tf = (await import(pkg)) as { getBackend(): string };
      log.push(`TensorFlow.js backend: ${tf.getBackend()} (${pkg})`);
      return { tf, backend: `${tf.getBackend()} (${pkg})`, log };
    } catch (error) {
      log.push(`${pkg} not usable: ${firstLine(error)}`);
    }
  }
  const tf = (await import('@tensorflow/tfjs')) as typeof import('@tensorflow/tfjs');
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      log.push('TensorFlow.js backend: wasm (@tensorflow/tfjs-backend-wasm)');
      return { tf, backend: 'wasm', log };
    }
  } catch (error) {
    log.push(`@tensorflow/tfjs-backend-wasm not usable: ${firstLine(error)}`);
  }
  await tf.setBackend('cpu');
  log.push('TensorFlow.js backend: cpu (pure JavaScript, slowest)');
  return { tf, backend: 'cpu', log };
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0]!;
}
