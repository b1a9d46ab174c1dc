import { intAttr, type GraphBuilder } from '../graph-builder';

/** tfjs flattens its NHWC tensor, so the values must be in that order for the next Dense's weights to line up. */
export function addFlatten(g: GraphBuilder): void {
  g.toChannelsLast();
  g.op('Flatten', [g.current], [intAttr('axis', 1)]);
  g.shape = [g.shape.every((d) => d != null) ? (g.shape as number[]).reduce((a, b) => a * b, 1) : null];
}
