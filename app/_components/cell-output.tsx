'use client';

import type { CellOutput } from '../../core/contracts/messages/outputs';

// eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

export function CellOutputs({ outputs }: { outputs: CellOutput[] }) {
  if (outputs.length === 0) return null;
  return (
    <div className="cell-output" data-testid="cell-output">
      {outputs.map((o, i) => (
        <OutputView key={i} output={o} />
      ))}
    </div>
  );
}

function OutputView({ output }: { output: CellOutput }) {
  switch (output.output_type) {
    case 'stream':
      return <span className={output.name === 'stderr' ? 'stderr' : ''}>{output.text}</span>;
    case 'error':
      return (
        <div className="err">{stripAnsi(output.traceback.length ? output.traceback.join('\n') : `${output.ename}: ${output.evalue}`)}</div>
      );
    case 'execute_result':
    case 'display_data': {
      const png = output.data['image/png'];
      if (typeof png === 'string') return <img alt="output" src={`data:image/png;base64,${png}`} />;
      return <div>{String(output.data['text/plain'] ?? JSON.stringify(output.data))}</div>;
    }
  }
}
