import { stringAttr, type GraphBuilder } from '../graph-builder';
import { UnsupportedLayerError, type LayerConfig } from '../layers-model-description';

// ZeroPadding2D, Cropping2D and UpSampling2D on [batch, h, w, c]; they work in either layout, so a conv
// stack stays channels-first through them.

/** tfjs writes padding/cropping as n, [h, w] or [[top, bottom], [left, right]]. */
function edges(value: unknown): [[number, number], [number, number]] {
  if (typeof value === 'number')
    return [
      [value, value],
      [value, value],
    ];
  const [h, w] = value as Array<number | number[]>;
  const pair = (v: number | number[] | undefined): [number, number] =>
    Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [Number(v), Number(v)];
  return [pair(h), pair(w)];
}

function checkImage(g: GraphBuilder, layer: LayerConfig): void {
  const name = String(layer.config.name);
  if (g.rank !== 4) throw new UnsupportedLayerError(layer.class_name, name, `input rank ${g.rank} (needs [batch, h, w, c])`);
  if ((layer.config.data_format ?? 'channels_last') !== 'channels_last')
    throw new UnsupportedLayerError(layer.class_name, name, `data_format=${String(layer.config.data_format)} is not supported`);
}

/** The indices of the h and w axes in the running tensor's layout. */
const spatialAxes = (g: GraphBuilder) => (g.layout === 'channels-first' ? [2, 3] : [1, 2]);

export function addZeroPadding2D(g: GraphBuilder, layer: LayerConfig): void {
  checkImage(g, layer);
  const [[top, bottom], [left, right]] = edges(layer.config.padding ?? 1);
  const [ah, aw] = spatialAxes(g);
  const begin = [0, 0, 0, 0];
  const end = [0, 0, 0, 0];
  begin[ah!] = top;
  begin[aw!] = left;
  end[ah!] = bottom;
  end[aw!] = right;
  g.op('Pad', [g.current, g.intConstant(`${String(layer.config.name)}/pads`, [...begin, ...end])], [], 'zeropad');
  const [h, w, c] = g.shape;
  g.shape = [h == null ? null : h + top + bottom, w == null ? null : w + left + right, c ?? null];
}

export function addCropping2D(g: GraphBuilder, layer: LayerConfig): void {
  checkImage(g, layer);
  const name = String(layer.config.name);
  const [[top, bottom], [left, right]] = edges(layer.config.cropping ?? 0);
  // Negative ends count from the far edge, so open sizes work; INT64_MAX-like ends keep everything.
  const end = (n: number) => (n === 0 ? 2 ** 53 - 1 : -n);
  const inputs = [
    g.current,
    g.intConstant(`${name}/starts`, [top, left]),
    g.intConstant(`${name}/ends`, [end(bottom), end(right)]),
    g.intConstant(`${name}/axes`, spatialAxes(g)),
  ];
  g.op('Slice', inputs, [], 'crop');
  const [h, w, c] = g.shape;
  g.shape = [h == null ? null : h - top - bottom, w == null ? null : w - left - right, c ?? null];
}

export function addUpSampling2D(g: GraphBuilder, layer: LayerConfig): void {
  checkImage(g, layer);
  const name = String(layer.config.name);
  const interpolation = layer.config.interpolation ?? 'nearest';
  if (interpolation !== 'nearest')
    throw new UnsupportedLayerError(layer.class_name, name, `interpolation=${String(interpolation)} is not supported`);
  const [sh, sw] = edges(layer.config.size ?? 2).map((p) => p[0]) as [number, number];
  const [ah, aw] = spatialAxes(g);
  const scales = [1, 1, 1, 1];
  scales[ah!] = sh;
  scales[aw!] = sw;
  // Integer factors with asymmetric/floor repeat every pixel, as tfjs's resizeNearestNeighbor does.
  g.op(
    'Resize',
    [g.current, '', g.floatConstant(`${name}/scales`, [4], Float32Array.from(scales))],
    [stringAttr('mode', 'nearest'), stringAttr('coordinate_transformation_mode', 'asymmetric'), stringAttr('nearest_mode', 'floor')],
    'upsample',
  );
  const [h, w, c] = g.shape;
  g.shape = [h == null ? null : h * sh, w == null ? null : w * sw, c ?? null];
}
