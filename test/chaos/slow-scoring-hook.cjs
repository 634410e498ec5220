// Test-only preload (NODE_OPTIONS=--require) for the chaos suite: while the file named by
// CHAOS_SLOW_SCORING_FILE exists, every ONNX run first waits CHAOS_SLOW_SCORING_MS. The consumer's code is
// untouched; the event loop stays free, as it would be while onnxruntime works on its own threads.
const { existsSync } = require('node:fs');
const ort = require('onnxruntime-node');

const armed = process.env.CHAOS_SLOW_SCORING_FILE;
const delayMs = Number(process.env.CHAOS_SLOW_SCORING_MS ?? '0');
const run = ort.InferenceSession.prototype.run;
ort.InferenceSession.prototype.run = async function slowRun(...args) {
  if (armed && existsSync(armed)) await new Promise((resolve) => setTimeout(resolve, delayMs));
  return run.apply(this, args);
};
