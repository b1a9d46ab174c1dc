import type { CellOutput } from '../../core/contracts/messages/outputs';

// Outputs travel from a worker to the server as bus messages, for cells and trainings alike.

/** NATS carries messages up to 1 MB by default; one output larger than that is replaced by a note. */
const MAX_OUTPUT_MESSAGE_BYTES = 900 * 1024;

export function withinBusLimit(output: CellOutput): CellOutput {
  const bytes = Buffer.byteLength(JSON.stringify(output));
  if (bytes <= MAX_OUTPUT_MESSAGE_BYTES) return output;
  return {
    output_type: 'stream',
    name: 'stderr',
    text: `[Ferry] one ${output.output_type} output of ${Math.round(bytes / 1024)} KiB was not shown: a single output may be at most ${MAX_OUTPUT_MESSAGE_BYTES / 1024} KiB.\n`,
  };
}
