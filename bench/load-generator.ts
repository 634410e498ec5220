// Child process of bench/run.ts: offers rides at a fixed rate for a while, then prints a JSON summary.
//   tsx bench/load-generator.ts --brokers h:p --topic t --rate 5000 --seconds 30 --seed 1 [--wire tagged]
// Each ride's pickup_datetime is stamped when its batch is handed to the producer, so a prediction's
// event_time is the event's creation instant and a downstream reader can compute end-to-end latency alone.
import { parseArgs } from 'node:util';
import { RideProducer, replay, syntheticRides } from '@ride/producer';
import { createLogger, type RideStarted } from '@ride/shared';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      brokers: { type: 'string' },
      topic: { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      seed: { type: 'string', default: '1' },
      wire: { type: 'string', default: 'confluent' },
    },
  });
  const logger = createLogger({ level: 'warn', name: 'bench-load' });
  const producer = await RideProducer.connect({
    kafka: { brokers: String(values.brokers).split(','), clientId: 'bench-load' },
    topic: String(values.topic),
    wire: values.wire === 'tagged' ? 'tagged' : 'confluent',
    logger,
  });
  const stamped = (rides: readonly RideStarted[]) => {
    const now = Date.now();
    return producer.sendBatch(rides.map((ride) => ({ ...ride, pickup_datetime: now })));
  };
  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort());
  process.stdout.write(`${JSON.stringify({ startedAt: Date.now() })}\n`);
  const stats = await replay(
    syntheticRides({ seed: Number(values.seed), idPrefix: `load${values.seed}` }),
    { sendBatch: stamped },
    {
      pace: { kind: 'rate', perSecond: Number(values.rate) },
      durationMs: Number(values.seconds) * 1000,
      signal: stop.signal,
    },
  );
  await producer.close();
  process.stdout.write(`${JSON.stringify(stats)}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
