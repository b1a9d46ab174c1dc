import { z } from 'zod';
import { cellOutputSchema } from './messages/outputs';

// The notebook's Yjs document, modelled on jupyter_ydoc's YNotebook so it converts to .ipynb directly:
//   root Y.Array 'cells' of Y.Map { id, cell_type, source: Y.Text, metadata: Y.Map, outputs: Y.Array<Y.Map>,
//                                   execution_count, execution_state, attachments }
//   root Y.Map 'meta' { nbformat, nbformat_minor, metadata: Y.Map }
// This file names the keys; core/notebook/ holds the functions that read and write them.

export const NOTEBOOK_ROOT = { cells: 'cells', meta: 'meta' } as const;
export const CELL_KEYS = {
  id: 'id',
  type: 'cell_type',
  source: 'source',
  metadata: 'metadata',
  outputs: 'outputs',
  executionCount: 'execution_count',
  executionState: 'execution_state',
  attachments: 'attachments',
} as const;

export const cellIdSchema = z.string().regex(/^[a-zA-Z0-9-_]{1,64}$/, 'cell ids are 1–64 characters of a-z A-Z 0-9 - _');
export const cellTypeSchema = z.enum(['code', 'markdown', 'raw']);
export type CellType = z.infer<typeof cellTypeSchema>;
export const executionStateSchema = z.enum(['idle', 'queued', 'running']);

/** A cell as plain data (what the Yjs document holds, with Y types flattened). */
export const cellDataSchema = z.object({
  id: cellIdSchema,
  cell_type: cellTypeSchema,
  source: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  outputs: z.array(cellOutputSchema),
  execution_count: z.number().int().nonnegative().nullable(),
  execution_state: executionStateSchema,
  attachments: z.record(z.string(), z.unknown()).nullable(),
});
export type CellData = z.infer<typeof cellDataSchema>;

export const notebookDataSchema = z
  .object({
    cells: z.array(cellDataSchema),
    nbformat: z.literal(4),
    nbformat_minor: z.number().int().min(5),
    metadata: z.record(z.string(), z.unknown()),
  })
  .superRefine((nb, ctx) => {
    const seen = new Set<string>();
    nb.cells.forEach((cell, i) => {
      if (seen.has(cell.id)) ctx.addIssue({ code: 'custom', path: ['cells', i, 'id'], message: `duplicate cell id ${cell.id}` });
      seen.add(cell.id);
    });
  });
export type NotebookData = z.infer<typeof notebookDataSchema>;
