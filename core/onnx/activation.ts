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
  'gelu',
  'gelu_new',
  'log_softmax',
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
    case 'log_softmax':
      g.toChannelsLast();
      g.op('LogSoftmax', [g.current], [intAttr('axis', -1)]);
      return;
    case 'gelu': {
      // tfjs 4.22's gelu is the exact x·Φ(x) = x·½(1 + erf(x/√2)); ONNX has Erf since opset 9.
      const c = (label: string, v: number) => g.floatConstant(`${String(layer.config.name)}_gelu_${label}`, [], Float32Array.of(v));
      const scaled = g.op('Div', [x, c('sqrt2', Math.SQRT2)], [], 'gelu');
      const erf = g.op('Erf', [scaled]);
      const onePlus = g.op('Add', [erf, c('one', 1)], [], 'gelu');
      const half = g.op('Mul', [x, c('half', 0.5)], [], 'gelu');
      g.op('Mul', [half, onePlus], [], 'gelu');
      return;
    }
    case 'gelu_new': {
      // tfjs's gelu_new is the tanh approximation ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
      const c = (label: string, v: number) => g.floatConstant(`${String(layer.config.name)}_gelu_${label}`, [], Float32Array.of(v));
      const cube = g.op('Mul', [x, g.op('Mul', [x, x], [], 'gelu')], [], 'gelu');
      const inner = g.op('Add', [x, g.op('Mul', [cube, c('k', 0.044715)], [], 'gelu')], [], 'gelu');
      const t = g.op('Tanh', [g.op('Mul', [inner, c('s', Math.sqrt(2 / Math.PI))], [], 'gelu')]);
      const onePlus = g.op('Add', [t, c('one', 1)], [], 'gelu');
      g.op('Mul', [g.op('Mul', [x, c('half', 0.5)], [], 'gelu'), onePlus], [], 'gelu');
      return;
    }
    default:
      assertNever(name);
  }
}
