import { ConfigError } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { loadBatchConfig } from '../../src/batch/batch-config.js';

describe('loadBatchConfig', () => {
  it('takes the files from arguments and the model from --model over MODEL_PATH', () => {
    const config = loadBatchConfig(
      ['in.parquet', 'out.parquet', '--model', 'models:/ride-duration@champion'],
      {
        MODEL_PATH: 'ignored',
        MLFLOW_TRACKING_URI: 'http://127.0.0.1:5000',
        BATCH_CHUNK: '1000',
      },
    );
    expect(config).toMatchObject({
      input: 'in.parquet',
      output: 'out.parquet',
      chunkSize: 1000,
      json: false,
      modelSource: { location: 'models:/ride-duration@champion', mlflowTrackingUri: 'http://127.0.0.1:5000' },
    });
  });

  it('reports every problem at once: missing output, bad chunk, MLflow reference without a server', () => {
    let error: unknown;
    try {
      loadBatchConfig(['in.parquet', '--chunk', '0', '--model', 'models:/m/1'], {});
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('give an input and an output file');
    expect(problems).toContain('--chunk 0 is not a positive integer');
    expect(problems).toContain('set MLFLOW_TRACKING_URI');
  });

  it('turns an unknown flag into a ConfigError with the usage', () => {
    expect(() => loadBatchConfig(['a', 'b', '--fast'], {})).toThrow(/usage: ride-batch/);
  });
});
