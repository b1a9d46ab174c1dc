// core/onnx: tfjs LayersModel → ONNX, with no tfjs import, so any process can export and inspect models.
export { SUPPORTED_LAYERS, type SupportedLayer } from './convert-layer';
export { describeTfjsModel, type TfjsLayersModelLike } from './describe-tfjs-model';
export {
  BATCH_DIM,
  exportToOnnx,
  INPUT_NAME,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  OUTPUT_NAME,
  SEQ_DIM,
  type ExportOptions,
} from './export-to-onnx';
export { UnsupportedLayerError, type LayerConfig, type LayersModelDescription, type WeightTensor } from './layers-model-description';
export { readOnnxSignature, type OnnxSignature, type TensorSignature } from './onnx-signature';
