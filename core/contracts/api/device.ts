import { z } from 'zod';
import { referenceProfileSchema } from '../../drift/profile';
import { aliasNameSchema } from './alias';

// The device-facing API the edge agent speaks. Devices authenticate with `Authorization: Bearer fdev_…`.

export const groupNameSchema = z
  .string()
  .trim()
  .min(1, 'group names must not be empty')
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'group names use letters, digits, . _ -');

export const enrollmentTokenCreateSchema = z.object({
  workspaceId: z.string().uuid(),
  deviceName: z.string().trim().min(1).max(100),
  labels: z.record(z.string(), z.string()).default({}),
  group: groupNameSchema.default('default'),
  ttlHours: z
    .number()
    .positive()
    .max(24 * 30)
    .default(24),
});

export const enrollRequestSchema = z.object({
  token: z.string().min(1, 'an enrollment token is required'),
  name: z.string().trim().min(1).max(100).optional(),
  agentVersion: z.string().max(50).default('unknown'),
});
export const enrollResponseSchema = z.object({
  deviceId: z.string().uuid(),
  workspaceId: z.string().uuid(),
  credential: z.string(),
  /** The server's ed25519 public key (PEM): the agent pins it and verifies every manifest with it. */
  signingKey: z.string(),
});
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

/** One model input instance: a number, or nested arrays of numbers in the model's instance shape. */
export type Instance = number | Instance[];
export const instanceSchema: z.ZodType<Instance> = z.lazy(() => z.union([z.number(), z.array(instanceSchema)]));

/** What the agent must run, signed by the server so a tampered store or man in the middle is caught. */
export const manifestSchema = z.object({
  v: z.literal(1),
  deploymentId: z.string().uuid(),
  versionId: z.string().uuid(),
  modelName: z.string(),
  version: z.number().int(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().positive(),
  sampleInput: z.array(instanceSchema),
  sampleOutput: z.array(z.array(z.number())),
  issuedAt: z.string(),
});
export type Manifest = z.infer<typeof manifestSchema>;

const signedModelSchema = z.object({
  /** The manifest exactly as signed (a JSON string), and its base64 ed25519 signature. */
  manifest: z.string(),
  signature: z.string(),
  signature_alg: z.literal('ed25519'),
  inputShape: z.array(z.union([z.number(), z.string(), z.null()])),
  featureNames: z.array(z.string()).nullable(),
  referenceProfile: referenceProfileSchema.nullable(),
});
export type SignedModel = z.infer<typeof signedModelSchema>;

export const desiredStateSchema = z.object({
  deployment: signedModelSchema.nullable(),
  /** A/B: a second model that takes `percent` % of the predictions, each tagged with its version. */
  variant: signedModelSchema
    .extend({ percent: z.number().min(0).max(100) })
    .nullable()
    .default(null),
});
export type DesiredState = z.infer<typeof desiredStateSchema>;

export const deviceStateReportSchema = z.object({
  currentVersionId: z.string().uuid().nullable(),
  previousVersionId: z.string().uuid().nullable(),
  health: z.enum(['ok', 'degraded', 'failed', 'unknown']),
  lastError: z.string().max(2000).nullable().optional(),
  backend: z.string().max(100),
  /** The version this device last refused or could not run; counted against a rollout's halt threshold. */
  failedVersionId: z.string().uuid().nullable().optional(),
  variantVersionId: z.string().uuid().nullable().optional(),
});

export const featureDriftSchema = z.object({
  name: z.string(),
  type: z.enum(['numeric', 'categorical']),
  psi: z.number().nullable(),
  ks: z.object({ statistic: z.number(), pvalue: z.number() }).nullable(),
  wasserstein: z.number().nullable(),
  jensenshannon: z.number().nullable(),
  chi2: z.object({ statistic: z.number(), pvalue: z.number() }).nullable(),
  drift: z.boolean(),
});
export type FeatureDrift = z.infer<typeof featureDriftSchema>;

export const driftReportSchema = z.object({
  idempotencyKey: z.string().min(8).max(200),
  modelVersionId: z.string().uuid(),
  windowStart: z.string().datetime(),
  windowEnd: z.string().datetime(),
  sampleCount: z.number().int().nonnegative(),
  features: z.array(featureDriftSchema).max(10_000),
  /** Drift of the model's outputs (one entry per output column) against the training predictions. */
  predictions: z.array(featureDriftSchema).max(1000).default([]),
});
export type DriftReport = z.infer<typeof driftReportSchema>;

/** Serving statistics of one version on one device over a window: what an A/B comparison is made of. */
export const predictionStatsReportSchema = z.object({
  idempotencyKey: z.string().min(8).max(200),
  modelVersionId: z.string().uuid(),
  windowStart: z.string().datetime(),
  windowEnd: z.string().datetime(),
  count: z.number().int().nonnegative(),
  latencyP50Ms: z.number().nonnegative(),
  latencyP99Ms: z.number().nonnegative(),
  outputMean: z.number().nullable(),
  /** A uniform random sample (reservoir) of the first output over the window. */
  outputSample: z.array(z.number()).max(1000),
  feedbackCount: z.number().int().nonnegative(),
  feedbackScore: z.number().nullable(),
  feedbackKind: z.enum(['accuracy', 'mae']).nullable(),
});
export type PredictionStatsReport = z.infer<typeof predictionStatsReportSchema>;

// User-facing fleet API: groups, deployments (canary, A/B), rollback, alerts, retrain.

export const deviceUpdateSchema = z
  .object({ group: groupNameSchema.optional(), labels: z.record(z.string().max(64), z.string().max(256)).optional() })
  .refine((v) => v.group !== undefined || v.labels !== undefined, 'give a group or labels to change');

export const deploymentCreateSchema = z
  .object({
    workspaceId: z.string().uuid(),
    group: groupNameSchema.default('default'),
    /** Either a version id, or a model and one of its aliases (resolved now and recorded). */
    versionId: z.string().uuid().optional(),
    modelId: z.string().uuid().optional(),
    alias: z.string().trim().min(1).max(64).optional(),
    canaryPercent: z.number().int().min(1).max(100).default(100),
    haltThreshold: z.number().min(0).max(1).default(0.2),
    autoAdvance: z.boolean().default(true),
    variant: z.object({ versionId: z.string().uuid(), percent: z.number().int().min(1).max(99) }).optional(),
  })
  .refine((v) => (v.versionId !== undefined) !== (v.alias !== undefined), 'give either versionId or modelId + alias')
  .refine((v) => v.alias === undefined || v.modelId !== undefined, 'an alias needs its modelId');
export type DeploymentCreate = z.infer<typeof deploymentCreateSchema>;

export const deploymentActionSchema = z.object({ action: z.enum(['advance', 'halt', 'resume', 'rollback']) });
export const deploymentListQuerySchema = z.object({ workspaceId: z.string().uuid(), group: groupNameSchema.optional() });
export const fleetQuerySchema = z.object({
  workspaceId: z.string().uuid(),
  /** Look-back window for charts, in hours. */
  hours: z.coerce
    .number()
    .positive()
    .max(24 * 90)
    .default(24),
});
export const aliasSetSchema = z.object({
  alias: aliasNameSchema,
  versionId: z.string().uuid(),
});
/** Run tags a retraining sets: the alert it answers, and the data it was asked to use. */
export const RETRAIN_TAG = 'ferry.retrain_of';
export const DATA_REF_TAG = 'ferry.data_ref';

export const retrainRequestSchema = z.object({
  /** The newer data the training should use instead of the one the source run recorded. */
  dataRef: z.string().trim().min(1).max(500).optional(),
  /**
   * Re-run even though the notebook never reads `ferry.params.dataRef` (it hard-codes its data): the
   * retraining then trains on the data the notebook names, and says so.
   */
  useRecordedData: z.boolean().optional(),
});
