// onnx-proto is CommonJS without static named exports, so ESM callers take its default export.
import onnxProto from 'onnx-proto';

export const onnx = onnxProto.onnx;
