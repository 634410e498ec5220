import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes } from '@ride/shared';
import { describe, expect, it, onTestFinished } from 'vitest';
import { committedOffsets, endOffsets, MODEL_DIR, uniqueName } from '../../harness/index.js';
import { guaranteesFor } from '../support/chaos/chaos-profile.js';
import { reportFault } from '../support/chaos/fault-report.js';
import { startConsumer } from '../support/consumer-process.js';
import { checkDelivery } from '../support/delivery-check.js';
import { waitCaughtUp } from '../support/group-progress.js';
import { runProducer } from '../support/producer-process.js';
import { runConsumerToExit } from '../support/run-consumer-to-exit.js';
import { createStreamTopics } from '../support/stream-topics.js';
import { disconnectAfterTest, testKafka } from '../support/test-kafka.js';

const RIDES = 300;

/** Broken copies of the model folder, each with the error code the consumer must name. */
const BROKEN: Array<{ fault: string; code: string; make(dir: string): Promise<string> }> = [
  {
    fault: 'model folder missing',
    code: ErrorCodes.MODEL_NOT_FOUND,
    make: async (dir) => join(dir, 'missing'),
  },
  {
    fault: 'model file truncated',
    code: ErrorCodes.MODEL_CHECKSUM_MISMATCH,
    make: async (dir) => {
      const target = await copyModel(dir, 'truncated');
      const bytes = await readFile(join(target, 'model.onnx'));
      await writeFile(join(target, 'model.onnx'), bytes.subarray(0, Math.floor(bytes.length / 3)));
      return target;
    },
  },
  {
    fault: 'model signature wrong',
    code: ErrorCodes.MODEL_SIGNATURE_MISMATCH,
    make: async (dir) => {
      const target = await copyModel(dir, 'signature');
      const meta = JSON.parse(await readFile(join(target, 'metadata.json'), 'utf8'));
      meta.inputs[0].type = 'float32';
      await writeFile(join(target, 'metadata.json'), JSON.stringify(meta));
      return target;
    },
  },
];

async function copyModel(dir: string, name: string): Promise<string> {
  const target = join(dir, name);
  await mkdir(target);
  for (const file of ['model.onnx', 'metadata.json'])
    await copyFile(join(MODEL_DIR, file), join(target, file));
  return target;
}

describe.each(guaranteesFor('extra'))('chaos: unusable model at start (%s)', (guarantee) => {
  it('exits 3 naming the problem, joins no group and commits nothing; a good model then answers every ride', {
    timeout: 600_000,
  }, async () => {
    const kafka = testKafka();
    const admin = disconnectAfterTest(kafka.admin());
    await admin.connect();
    const topics = await createStreamTopics(kafka, 3);
    const groupId = uniqueName('g');
    const produced = await runProducer(['--synthetic', '--limit', String(RIDES)], topics);
    expect(produced.code, produced.output).toBe(0);
    const dir = await mkdtemp(join(tmpdir(), 'chaos-model-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));

    for (const broken of BROKEN) {
      const run = await runConsumerToExit(topics, groupId, {
        MODEL_PATH: await broken.make(dir),
        PROCESSING_GUARANTEE: guarantee,
      });
      expect(run.code, run.output).toBe(3);
      expect(run.output).toContain(broken.code);
      const committed = await committedOffsets(admin, groupId, topics.rides);
      expect([...committed.values()].every((offset) => offset === -1)).toBe(true);
      expect((await admin.describeGroup(groupId)).members).toBe(0);
      expect([...(await endOffsets(admin, topics.predictions)).values()].every((o) => o === 0)).toBe(true);
    }

    const startedAt = Date.now();
    const good = await startConsumer(topics, groupId, { PROCESSING_GUARANTEE: guarantee });
    await waitCaughtUp(admin, groupId, topics.rides);
    const recoveryMs = Date.now() - startedAt;
    const isolation = guarantee === 'exactly_once' ? 'read_committed' : 'read_uncommitted';
    const delivery = await checkDelivery(kafka, topics, groupId, RIDES, isolation);
    expect(delivery.lost).toEqual([]);
    expect(delivery.duplicates).toBe(0);
    for (const broken of BROKEN) {
      reportFault({
        fault: `${broken.fault} → exit 3`,
        guarantee,
        repetitions: 1,
        events: RIDES,
        lost: delivery.lost.length,
        duplicates: delivery.duplicates,
        recoveryMs: [recoveryMs],
      });
    }
    expect(await good.stop('SIGTERM')).toBe(0);
  });
});
