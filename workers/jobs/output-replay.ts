import type { CellOutput } from '../../core/contracts/messages/outputs';

// The outputs of one running execution, kept so they can be sent again if the bus was away while it
// ran. Bounded well under a bus message: past that, one note says how many were not kept.

export interface OutputReplay {
  add(output: CellOutput): void;
  /** What is kept, with a closing note when outputs had to be dropped. */
  outputs(): CellOutput[];
}

export const REPLAY_MAX_BYTES = 512 * 1024;

const sizeOf = (output: CellOutput) => (output.output_type === 'stream' ? output.text.length : JSON.stringify(output).length);

export function createOutputReplay(maxBytes = REPLAY_MAX_BYTES): OutputReplay {
  const kept: CellOutput[] = [];
  let bytes = 0;
  let dropped = 0;
  return {
    add(output) {
      const size = sizeOf(output);
      if (dropped > 0 || bytes + size > maxBytes) {
        dropped++;
        return;
      }
      kept.push(output);
      bytes += size;
    },
    outputs() {
      if (dropped === 0) return [...kept];
      const note = `[Ferry] ${dropped} later output${dropped === 1 ? ' was' : 's were'} lost while the message bus was unreachable\n`;
      return [...kept, { output_type: 'stream', name: 'stderr', text: note }];
    },
  };
}
