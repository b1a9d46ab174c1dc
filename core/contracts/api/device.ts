import { z } from 'zod';
import { referenceProfileSchema } from '../../drift/profile';

// The device-facing API the edge agent speaks. Devices authenticate with `Authorization: Bearer fdev_…`.

export const enrollmentTokenCreateSchema = z.object({
  workspaceId: z.string().uuid(),
  deviceName: z.string().trim().min(1).max(100),
  labels: z.record(z.string(), z.string()).default({}),
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

/** What the agent must run, signed by the server so a tampered store or man in the middle is caught. */
export const manifestSchema = z.object({
  v: z.literal(1),
  deploymentId: z.string().uuid(),
  versionId: z.string().uuid(),
  modelName: z.string(),
  version: z.number().int(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().positive(),
  sampleInput: z.array(z.array(z.number())),
  sampleOutput: z.array(z.array(z.number())),
  issuedAt: z.string(),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const desiredStateSchema = z.object({
  deployment: z
    .object({
      /** The manifest exactly as signed (a JSON string), and its base64 ed25519 signature. */
      manifest: z.string(),
      signature: z.string(),
      signature_alg: z.literal('ed25519'),
      inputShape: z.array(z.union([z.number(), z.string(), z.null()])),
      featureNames: z.array(z.string()).nullable(),
      referenceProfile: referenceProfileSchema.nullable(),
    })
    .nullable(),
});
export type DesiredState = z.infer<typeof desiredStateSchema>;

export const deviceStateReportSchema = z.object({
  currentVersionId: z.string().uuid().nullable(),
  previousVersionId: z.string().uuid().nullable(),
  health: z.enum(['ok', 'degraded', 'failed', 'unknown']),
  lastError: z.string().max(2000).nullable().optional(),
  backend: z.string().max(100),
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
});
export type DriftReport = z.infer<typeof driftReportSchema>;
