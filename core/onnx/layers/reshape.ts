import { intsAttr, type GraphBuilder } from '../graph-builder';
import { UnsupportedLayerError, type LayerConfig } from '../layers-model-description';

// Layers that only move values around. All of them count axes in tfjs (channels-last) order.

const product = (dims: Array<number | null>) => (dims.every((d) => d != null) ? (dims as number[]).reduce((a, b) => a * b, 1) : null);

export function addReshape(g: GraphBuilder, layer: LayerConfig): void {
  const raw = (layer.config.target_shape ?? layer.config.targetShape) as Array<number | null> | undefined;
  // toJSON writes tfjs's -1 (the inferred axis) as null.
  const target = raw?.map((d) => (d == null ? -1 : Number(d)));
  if (!target) throw new UnsupportedLayerError(layer.class_name, String(layer.config.name), 'no target_shape');
  g.toChannelsLast();
  // 0 keeps the (dynamic) batch axis; -1 is inferred, as in tfjs.
  const shape = g.intConstant(`${String(layer.config.name)}/shape`, [0, ...target]);
  const x = g.current;
  const known = product(g.shape);
  const rest = product(target.filter((d) => d !== -1));
  g.op('Reshape', [x, shape], [], 'reshape');
  g.shape = target.map((d) => (d === -1 ? (known != null && rest ? known / rest : null) : d));
}

export function addPermute(g: GraphBuilder, layer: LayerConfig): void {
  const dims = (layer.config.dims as number[]).map(Number); // 1-based, the batch axis stays first
  g.toChannelsLast();
  g.op('Transpose', [g.current], [intsAttr('perm', [0, ...dims])], 'permute');
  g.shape = dims.map((d) => g.shape[d - 1]!);
}

export function addRepeatVector(g: GraphBuilder, layer: LayerConfig): void {
  const n = Number(layer.config.n);
  const name = String(layer.config.name);
  if (g.rank !== 2) throw new UnsupportedLayerError(layer.class_name, name, `input rank ${g.rank} (RepeatVector needs [batch, features])`);
  const unsqueezed = g.op('Unsqueeze', [g.current, g.intConstant(`${name}/axes`, [1])], [], 'repeat');
  g.op('Tile', [unsqueezed, g.intConstant(`${name}/repeats`, [1, n, 1])], [], 'repeat');
  g.shape = [n, g.shape[0]!];
}
