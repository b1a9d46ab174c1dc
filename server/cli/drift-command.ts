// `ferry drift`: offline drift statistics between two CSV files (issue 7). Filled in with core/drift.
export const commandHelp = '  drift --reference ref.csv --current cur.csv [--json]';

export async function runDriftCommand(_argv: string[]): Promise<void> {
  throw new Error('drift: not available yet (core/drift is being built)');
}
