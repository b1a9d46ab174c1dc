import { inspect } from 'node:util';
import type { CellOutput } from '../../core/contracts/messages/outputs';

/** The execute_result of a cell's last expression, or null when there is nothing to show. */
export function resultOutput(value: unknown, executionCount: number): CellOutput | null {
  if (value === undefined) return null;
  return { output_type: 'execute_result', execution_count: executionCount, data: { 'text/plain': textOf(value) }, metadata: {} };
}

export function textOf(value: unknown): string {
  if (typeof value === 'string') return inspect(value);
  if (isTensor(value)) return value.toString();
  return inspect(value, { depth: 4, maxArrayLength: 100, breakLength: 100 });
}

function isTensor(value: unknown): value is { toString(): string; dataSync: unknown } {
  return typeof value === 'object' && value !== null && 'dataSync' in value && 'shape' in value;
}

/** display(x): rich values as display_data, by kind. */
export function displayOutput(value: unknown): CellOutput {
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.html === 'string')
      return { output_type: 'display_data', data: { 'text/html': v.html, 'text/plain': '[html]' }, metadata: {} };
    if (typeof v.png === 'string')
      return { output_type: 'display_data', data: { 'image/png': v.png, 'text/plain': '[image]' }, metadata: {} };
    if (typeof v.$schema === 'string' && v.$schema.includes('vega-lite'))
      return { output_type: 'display_data', data: { 'application/vnd.vegalite.v5+json': v, 'text/plain': '[chart]' }, metadata: {} };
  }
  return { output_type: 'display_data', data: { 'text/plain': textOf(value) }, metadata: {} };
}
