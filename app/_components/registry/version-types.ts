// The shapes the version review API returns, as the registry components read them.

export interface TensorSig {
  name: string;
  dtype: string;
  shape: Array<number | string | null>;
}

export interface VersionFacts {
  id: string;
  version: number;
  status: 'pending' | 'approved' | 'rejected';
  size: number;
  onnxSha256: string;
  description: string;
  createdAt: string;
  decisionComment: string | null;
  signature: { inputs: TensorSig[]; outputs: TensorSig[]; opset: number };
  model: { id: string; name: string };
  aliases: string[];
  evaluations: Array<{ dataset: { ref: string; sha256: string }; metrics: Record<string, number>; createdAt: string }>;
  lineage: {
    run: {
      id: string;
      name: string;
      status: string;
      sourceHash: string | null;
      workerId: string | null;
      backend: string | null;
      params: Array<{ key: string; value: string }>;
      metrics: Array<{ key: string; value: number; step: number; best: number; goal: 'min' | 'max' }>;
      training: { id: string; status: string; attempts: number; checkpointEpoch: number | null } | null;
    } | null;
    notebookVersion: {
      id: string;
      notebookId: string;
      notebookName: string;
      name: string | null;
      kind: string;
      contentHash: string;
      createdAt: string;
    } | null;
    datasets: Array<{ ref: string; sha256: string }>;
  };
  history: Array<{ action: string; actorName: string | null; data: Record<string, unknown>; at: string }>;
}

export interface Review {
  candidate: VersionFacts;
  production: VersionFacts | null;
  candidateIsProduction: boolean;
  signatureChanged: boolean | null;
  comparison: Array<{ dataset: string; metric: string; candidate: number | null; production: number | null; delta: number | null }>;
}

export const formatSignature = (sigs: TensorSig[]) =>
  sigs.map((s) => `${s.name}: ${s.dtype}[${s.shape.map((d) => d ?? '?').join(', ')}]`).join('; ');
export const formatNumber = (n: number | null) =>
  n === null ? '—' : Math.abs(n) >= 1000 || n === Math.trunc(n) ? String(n) : n.toPrecision(4);
