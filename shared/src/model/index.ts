// `@ride/shared/model`: the scorer pulls in onnxruntime-node's native library, so only processes that score
// import this entry; the main index stays free of it (issue #13).
export { MlflowClient, type MlflowClientOptions, type MlflowModelVersion } from './mlflow-client.js';
export { type ModelLocation, parseModelLocation } from './model-location.js';
export { type ModelMetadata, readModelMetadata, type TensorSpec } from './model-metadata.js';
export { type ModelRow, ModelScorer, type RideFeatures, type ScoreResult } from './model-scorer.js';
export {
  createModelSource,
  type ModelSource,
  type ModelSourceOptions,
  type ResolvedModel,
} from './model-source.js';
export { type ModelSourceSettings, readModelSourceSettings } from './model-source-settings.js';
export { NYC_TIME_ZONE, nycLocalToEpochMs, nycTimeParts, nycWallToEpochMs } from './nyc-time.js';
export { validateModel } from './validate-model.js';
