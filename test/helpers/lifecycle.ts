import * as Y from 'yjs';
import { CELL_KEYS } from '../../core/contracts/notebook-schema';
import { cellsOf, cellToData } from '../../core/notebook/notebook-doc';
import { connectCollab, eventually } from './collab-client';

// The notebook used by the lifecycle tests: trains a small classifier on three features and logs it.
export const TRAINING_CELL = `const n = 400;
const xs = Array.from({ length: n }, (_, i) => [Math.sin(i), Math.cos(i * 0.7), (i % 10) / 10]);
const ys = xs.map(([a, b, c]) => [a + b * c > 0 ? 1 : 0]);
const model = tf.sequential({
  layers: [tf.layers.dense({ inputShape: [3], units: 8, activation: 'relu' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })],
});
model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
await ferry.logParams({ epochs: 5, units: 8, optimizer: 'adam', data: ferry.params.dataRef || 'synthetic-v1' });
const history = await model.fit(tf.tensor2d(xs), tf.tensor2d(ys), {
  epochs: 5,
  batchSize: 32,
  verbose: 0,
  callbacks: { onEpochEnd: (epoch: number, logs?: { loss: number }) => ferry.logMetric('loss', logs!.loss, epoch) },
});
await ferry.logModel(model, { sampleInput: xs.slice(0, 4), trainingData: xs, featureNames: ['a', 'b', 'c'] });
console.log('trained on', n, 'rows');
history.history.loss.length`;

/** Writes code into the notebook's first cell through a real collaboration client. */
export async function writeFirstCell(baseUrl: string, notebookId: string, token: string, code: string): Promise<string> {
  const client = connectCollab(baseUrl, notebookId, token);
  await client.synced();
  const cell = cellsOf(client.doc).get(0);
  const text = cell.get(CELL_KEYS.source) as Y.Text;
  client.doc.transact(() => {
    text.delete(0, text.length);
    text.insert(0, code);
  });
  const cellId = String(cell.get(CELL_KEYS.id));
  // Wait until the server has it: a second client sees the text.
  const check = connectCollab(baseUrl, notebookId, token);
  await eventually(
    async () => {
      await check.synced();
      const c = cellsOf(check.doc).get(0);
      return c ? cellToData(c).source === code : false;
    },
    10_000,
    'the cell source to reach the server',
  );
  check.destroy();
  client.destroy();
  return cellId;
}

/** Waits until the cell ran (idle again with outputs) and returns its outputs. */
export async function waitForCellOutputs(baseUrl: string, notebookId: string, token: string, timeoutMs = 120_000) {
  const client = connectCollab(baseUrl, notebookId, token);
  await client.synced();
  let data = cellToData(cellsOf(client.doc).get(0));
  await eventually(
    () => {
      data = cellToData(cellsOf(client.doc).get(0));
      return data.execution_state === 'idle' && data.execution_count !== null && data.outputs.length > 0;
    },
    timeoutMs,
    'the cell to finish',
  );
  client.destroy();
  return data;
}
