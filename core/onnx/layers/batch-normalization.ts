import { floatAttr, intsAttr, type GraphBuilder } from '../graph-builder';
import { UnsupportedLayerError, type LayerConfig } from '../layers-model-description';
import type { WeightReader } from '../weight-reader';

/** Inference-time batch normalization over the last (channel) axis, with the moving statistics. */
export function addBatchNormalization(g: GraphBuilder, weights: WeightReader, layer: LayerConfig): void {
  const cfg = layer.config;
  const name = String(cfg.name);
  const axis = Array.isArray(cfg.axis) && cfg.axis.length === 1 ? Number(cfg.axis[0]) : Number(cfg.axis ?? -1);
  if (axis !== -1 && axis !== g.rank - 1)
    throw new UnsupportedLayerError(layer.class_name, name, `axis ${String(cfg.axis)} (only the last axis)`);
  const channels = g.shape[g.shape.length - 1];
  if (channels == null) throw new UnsupportedLayerError(layer.class_name, name, 'the channel count is unknown');
  const gamma = cfg.scale !== false ? weights.next(layer, 'gamma', [channels]).data : new Float32Array(channels).fill(1);
  const beta = cfg.center !== false ? weights.next(layer, 'beta', [channels]).data : new Float32Array(channels);
  const mean = weights.next(layer, 'moving_mean', [channels]).data;
  const variance = weights.next(layer, 'moving_variance', [channels]).data;

  // ONNX normalizes axis 1: images go channels-first (where the next conv wants them anyway); other ranks
  // above 2 move their last axis to 1 and back.
  const perm = g.rank > 2 && g.rank !== 4 ? [0, g.rank - 1, ...Array.from({ length: g.rank - 2 }, (_, i) => i + 1)] : null;
  if (g.rank === 4) g.toChannelsFirst();
  if (perm) g.op('Transpose', [g.current], [intsAttr('perm', perm)], 'bn_in');
  const params = [
    g.floatConstant(`${name}/gamma`, [channels], gamma),
    g.floatConstant(`${name}/beta`, [channels], beta),
    g.floatConstant(`${name}/moving_mean`, [channels], mean),
    g.floatConstant(`${name}/moving_variance`, [channels], variance),
  ];
  g.op('BatchNormalization', [g.current, ...params], [floatAttr('epsilon', Number(cfg.epsilon ?? 1e-3))], 'batchnorm');
  if (perm) g.op('Transpose', [g.current], [intsAttr('perm', inverse(perm))], 'bn_out');
}

function inverse(perm: number[]): number[] {
  const out = new Array<number>(perm.length);
  perm.forEach((p, i) => (out[p] = i));
  return out;
}
