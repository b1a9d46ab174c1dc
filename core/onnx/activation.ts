import { assertNever } from '../assert-never';
import { intAttr, type GraphBuilder } from './graph-builder';
import { UnsupportedLayerError, type LayerConfig } from './layers-model-description';

// tfjs activation identifiers as model.toJSON() writes them (snake_case).
const ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'sigmoid',
  'tanh',
  'softmax',
  'elu',
  'selu',
  'softplus',
  'softsign',
  'hard_sigmoid',
  'swish',
  'mish',
] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

const isActivation = (name: string): name is ActivationName => (ACTIVATIONS as readonly string[]).includes(name);

/** Appends the layer's activation to the running tensor; tfjs also accepts camelCase, so both are read. */
export function addActivation(g: GraphBuilder, layer: LayerConfig, configured: unknown): void {
  const raw = typeof configured === 'string' ? configured : configured == null ? 'linear' : '';
  const name = raw.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  if (!isActivation(name))
    throw new UnsupportedLayerError(layer.class_name, String(layer.config.name), `activation ${JSON.stringify(configured)}`);
  const x = g.current;
  switch (name) {
    case 'linear':
      return;
    case 'relu':
      g.op('Relu', [x]);
      return;
    case 'relu6': {
      // Clip takes its bounds as inputs since opset 11.
      const lo = g.floatConstant(`${String(layer.config.name)}_relu6_min`, [], Float32Array.of(0));
      const hi = g.floatConstant(`${String(layer.config.name)}_relu6_max`, [], Float32Array.of(6));
      g.op('Clip', [x, lo, hi], [], 'relu6');
      return;
    }
    case 'sigmoid':
      g.op('Sigmoid', [x]);
      return;
    case 'tanh':
      g.op('Tanh', [x]);
      return;
    case 'softmax':
      // tfjs normalizes over the last axis of its NHWC tensor, so an NCHW tensor must be turned back first.
      g.toChannelsLast();
      g.op('Softmax', [g.current], [intAttr('axis', -1)]);
      return;
    case 'elu':
      g.op('Elu', [x]); // alpha 1, as tfjs
      return;
    case 'selu':
      g.op('Selu', [x]); // ONNX's default alpha and gamma are tfjs's constants
      return;
    case 'softplus':
      g.op('Softplus', [x]);
      return;
    case 'softsign':
      g.op('Softsign', [x]);
      return;
    case 'hard_sigmoid':
      g.op('HardSigmoid', [x]); // clip(0.2·x + 0.5, 0, 1), ONNX's defaults
      return;
    case 'swish': {
      const s = g.op('Sigmoid', [x]);
      g.op('Mul', [x, s], [], 'swish');
      return;
    }
    case 'mish': {
      // The Mish op needs opset 18; x·tanh(softplus(x)) is the same function.
      const sp = g.op('Softplus', [x]);
      const t = g.op('Tanh', [sp]);
      g.op('Mul', [x, t], [], 'mish');
      return;
    }
    default:
      assertNever(name);
  }
}
