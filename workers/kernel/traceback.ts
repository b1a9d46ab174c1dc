import { SourceMap } from 'node:module';
import type { ErrorOutput } from '../../core/contracts/messages/outputs';

/**
 * An error output whose traceback points into the cell: frames of the cell are mapped through the
 * TypeScript source map to the cell's own lines; frames of the kernel itself are dropped.
 */
export function errorOutput(error: unknown, cell: { filename: string; label: string; sourceMap?: string }): ErrorOutput {
  const err = error instanceof Error ? error : new Error(String(error));
  const map = cell.sourceMap ? new SourceMap(JSON.parse(cell.sourceMap)) : null;
  const frames: string[] = [];
  for (const line of (err.stack ?? '').split('\n').slice(1)) {
    const match = line.match(/^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/);
    if (!match) continue;
    const [, fn, file, l, c] = match;
    if (file === cell.filename) {
      const entry = map?.findEntry(Number(l) - 1, Number(c) - 1) as { originalLine?: number } | undefined;
      const originalLine = entry?.originalLine !== undefined ? entry.originalLine + 1 : Number(l);
      const name = fn && !fn.startsWith('async ') && fn !== '<anonymous>' ? fn : fn === 'async <anonymous>' ? '<cell>' : (fn ?? '<cell>');
      frames.push(`    at ${name} (${cell.label}, line ${originalLine})`);
    } else if (!/node:internal|workers\/kernel|node_modules\/tsx|^node:/.test(file ?? '')) {
      // A library frame names its package, never the worker's paths or URLs.
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file ?? '')?.[1];
      if (pkg) frames.push(`    at ${fn ?? '<anonymous>'} (${pkg})`);
    }
  }
  return { output_type: 'error', ename: err.name, evalue: err.message, traceback: [`${err.name}: ${err.message}`, ...frames] };
}
