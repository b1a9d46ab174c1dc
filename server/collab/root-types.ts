import * as Y from 'yjs';
import { NOTEBOOK_ROOT } from '../../core/contracts/notebook-schema';

// A notebook document holds only the schema's root types ('cells', 'meta'). Any other root type would
// be stored and synced to everyone but never shown or exported: room for megabytes nobody sees.

const ALLOWED: ReadonlySet<string> = new Set(Object.values(NOTEBOOK_ROOT));

/**
 * Root type names an update writes into that the notebook schema does not have. Only an item whose
 * parent is named (a root) can start a root type; other items hang off items that already exist.
 */
export function foreignRootTypes(update: Uint8Array): string[] {
  const foreign = new Set<string>();
  for (const struct of Y.decodeUpdate(update).structs) {
    const parent = (struct as { parent?: unknown }).parent;
    if (typeof parent === 'string' && !ALLOWED.has(parent)) foreign.add(parent);
  }
  return [...foreign];
}
