import type { NotebookData } from '../contracts/notebook-schema';

/**
 * What a version is: cell ids, types, sources and metadata, and the notebook metadata. Outputs and
 * execution state are excluded, so re-running a cell does not make a new version.
 */
export function canonicalNotebook(data: NotebookData) {
  return {
    nbformat: data.nbformat,
    nbformat_minor: data.nbformat_minor,
    metadata: sortKeys(data.metadata),
    cells: data.cells.map((c) => ({ id: c.id, cell_type: c.cell_type, source: c.source, metadata: sortKeys(c.metadata) })),
  };
}

export async function notebookContentHash(data: NotebookData): Promise<string> {
  return sha256Hex(JSON.stringify(canonicalNotebook(data)));
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function sortKeys(value: unknown): never {
  if (Array.isArray(value)) return value.map(sortKeys) as never;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    ) as never;
  }
  return value as never;
}
