// The only file that imports onnxruntime-node.
import ort from 'onnxruntime-node';
import type { TensorSpec, TensorType } from './model-metadata.js';

export type FeatureArray = BigInt64Array | Float32Array | Float64Array;

export interface OnnxSession {
  readonly inputs: TensorSpec[];
  readonly outputs: TensorSpec[];
  /** Runs the graph once on column tensors of shape [rows, 1]; returns the named output as numbers. */
  run(
    columns: Record<string, FeatureArray>,
    rows: number,
    output: string,
  ): Promise<Float32Array | Float64Array>;
  close(): Promise<void>;
}

const ORT_TYPES: Record<string, TensorType> = { int64: 'int64', float32: 'float32', float64: 'float64' };

export async function createOnnxSession(modelBytes: Uint8Array, threads = 1): Promise<OnnxSession> {
  const session = await ort.InferenceSession.create(modelBytes, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const describe = (
    names: readonly string[],
    meta: readonly ort.InferenceSession.ValueMetadata[],
  ): TensorSpec[] =>
    names.map((name, i) => {
      const m = meta[i];
      const type = m?.isTensor ? ORT_TYPES[m.type] : undefined;
      return {
        name,
        type: type ?? (String(m?.isTensor ? m.type : 'non-tensor') as TensorType),
        shape: m?.isTensor ? [...m.shape] : [],
      };
    });
  return {
    inputs: describe(session.inputNames, session.inputMetadata),
    outputs: describe(session.outputNames, session.outputMetadata),
    async run(columns, rows, output) {
      const feeds: Record<string, ort.Tensor> = {};
      for (const [name, data] of Object.entries(columns)) {
        const type =
          data instanceof BigInt64Array ? 'int64' : data instanceof Float32Array ? 'float32' : 'float64';
        feeds[name] = new ort.Tensor(type, data, [rows, 1]);
      }
      const result = await session.run(feeds, [output]);
      return result[output]!.data as Float32Array | Float64Array;
    },
    close: () => session.release(),
  };
}
