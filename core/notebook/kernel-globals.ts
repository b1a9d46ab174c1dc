// What a cell sees besides its own code, as TypeScript declarations for the editor's language
// service: the `ferry` helpers, `tf` and `display`. Kept beside the notebook model so the editor and
// the kernel (workers/kernel/ferry-helpers.ts) describe one surface; a kernel test checks they agree.

export const KERNEL_GLOBALS_PATH = 'file:///ferry-kernel-globals.d.ts';

export const KERNEL_GLOBALS_DTS = `
/** TensorFlow.js on the best backend the worker has (tfjs-node-gpu, tfjs-node, wasm, cpu). */
declare const tf: any;
/**
 * Rich output as a MIME bundle. display(x) detects: { html }, { png: base64 }, { svg }, { markdown },
 * a Vega-Lite (or Vega) spec by its $schema, an array of row objects / 2-D array / 2-D tensor as a
 * table; anything else shows as text. The explicit forms pick the type.
 */
declare const display: ((value: unknown) => void) & {
  html(html: string): void;
  markdown(markdown: string): void;
  svg(svg: string): void;
  png(base64: string): void;
  jpeg(base64: string): void;
  json(value: unknown): void;
  vegaLite(spec: object): void;
  vega(spec: object): void;
  table(rows: Array<Record<string, unknown>> | unknown[][] | any): void;
  /** A whole bundle: { 'text/html': '…', 'text/plain': '…' }. */
  mime(data: Record<string, unknown>, metadata?: Record<string, unknown>): void;
};
interface FerryDatasetColumn { name: string; type: 'numeric' | 'categorical' }
declare const ferry: {
  /** Values given to this execution (a retraining passes dataRef, the newer data to train on). */
  readonly params: Readonly<Record<string, string>>;
  /** The active run's id; opens a run if none is active (runs span cells until endRun). */
  runId(): Promise<string>;
  /** Ends the active run and opens a new one (named, with params). */
  startRun(opts?: { name?: string; params?: Record<string, string | number | boolean> }): Promise<{ id: string; name: string }>;
  /** Ends the active run; the next logging call opens a new one. */
  endRun(status?: 'finished' | 'failed' | 'killed'): Promise<void>;
  /** The active run, or null; never opens one. */
  activeRun(): Promise<{ id: string; name: string } | null>;
  logParams(params: Record<string, string | number | boolean>): Promise<void>;
  logMetric(key: string, value: number, step?: number): void;
  logMetrics(metrics: Record<string, number>, step?: number): void;
  logModel(model: unknown, opts: { sampleInput: number[][]; trainingData?: number[][]; featureNames?: string[]; name?: string }): Promise<{ artifactSha256: string }>;
  /** Rows of a dataset version ('name@3', or 'name' for the latest), recorded on the run. */
  useDataset(ref: string): Promise<{ name: string; version: number; sha256: string; columns: FerryDatasetColumn[]; rows: Array<Record<string, number | string | null>> }>;
  /** model.fit with per-epoch metrics, progress and ETA; in a background training, checkpoints and resume. */
  fit(model: any, x: any, y: any, args: { epochs: number; checkpointEvery?: number; batchSize?: number; validationSplit?: number; shuffle?: boolean; callbacks?: any }): Promise<any>;
  flush(): Promise<void>;
};
`;

/** The helper names the declarations promise; the kernel must provide each. */
export const KERNEL_HELPER_NAMES = [
  'params',
  'runId',
  'startRun',
  'endRun',
  'activeRun',
  'logParams',
  'logMetric',
  'logMetrics',
  'logModel',
  'useDataset',
  'fit',
  'flush',
] as const;

/**
 * Cells share one scope at run time, so the editor treats each as a script: re-declaring a name in
 * another cell (2451) and top-level await outside a module (1375, 1378) are fine here.
 */
export const KERNEL_IGNORED_DIAGNOSTICS = [2451, 1375, 1378];
