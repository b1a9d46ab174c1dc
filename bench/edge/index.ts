import { printTable, type BenchRow } from '../table';
import { controlPlane } from './control-plane';
import { predictLatency } from './predict-latency';

// `npm run bench -- edge`: the agent's serving path, the control plane under a fleet, and drift
// statistics beside scipy, in one table.

export async function run(): Promise<void> {
  const rows: BenchRow[] = [];
  process.stderr.write('edge: predict latency and agent memory…\n');
  rows.push(...(await predictLatency()));
  process.stderr.write('edge: drift statistics beside scipy…\n');
  const { driftThroughput } = await import('./drift-throughput');
  rows.push(...(await driftThroughput()));
  process.stderr.write('edge: control plane…\n');
  rows.push(...(await controlPlane()));
  printTable('edge (agent, drift, control plane)', rows);
}
