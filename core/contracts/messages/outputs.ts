import { z } from 'zod';

// Cell outputs as typed messages, shaped like nbformat 4 outputs so that .ipynb export is a copy.
export const mimeBundleSchema = z.record(z.string(), z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]));

export const streamOutputSchema = z.object({
  output_type: z.literal('stream'),
  name: z.enum(['stdout', 'stderr']),
  text: z.string(),
});

export const executeResultOutputSchema = z.object({
  output_type: z.literal('execute_result'),
  execution_count: z.number().int().nonnegative().nullable(),
  data: mimeBundleSchema,
  metadata: z.record(z.string(), z.unknown()).default({}),
});

export const displayDataOutputSchema = z.object({
  output_type: z.literal('display_data'),
  data: mimeBundleSchema,
  metadata: z.record(z.string(), z.unknown()).default({}),
});

export const errorOutputSchema = z.object({
  output_type: z.literal('error'),
  ename: z.string(),
  evalue: z.string(),
  traceback: z.array(z.string()),
});

export const cellOutputSchema = z.discriminatedUnion('output_type', [
  streamOutputSchema,
  executeResultOutputSchema,
  displayDataOutputSchema,
  errorOutputSchema,
]);

export type CellOutput = z.infer<typeof cellOutputSchema>;
export type StreamOutput = z.infer<typeof streamOutputSchema>;
export type ErrorOutput = z.infer<typeof errorOutputSchema>;
