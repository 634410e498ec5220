import {
  type CompressionName,
  ContentTypes,
  createKafka,
  encodeRideStarted,
  encodeRideStartedTagged,
  Headers,
  IdempotentProducer,
  type KafkaSettings,
  type Logger,
  type OutRecord,
  openSchemaCatalog,
  type RideStarted,
  type WireFormat,
} from '@ride/shared';

export interface RideProducerOptions {
  kafka: KafkaSettings;
  topic: string;
  compression?: CompressionName;
  /** 'avro' (default, in the Confluent wire format) or the course's JSON event. */
  format?: 'avro' | 'json';
  /** Registers the ride-started schema under `<topic>-value` and writes its id; unset, the fixed id. */
  schemaRegistryUrl?: string;
  /** `confluent` (default): no headers; `tagged`: the earlier contract with a content-type header. */
  wire?: WireFormat;
  logger: Logger;
}

type Settings = Required<Omit<RideProducerOptions, 'kafka' | 'schemaRegistryUrl'>> & { schemaId: number };

export interface SendResult {
  sent: number;
  failed: number;
  /** The error that failed the batch, if any: nothing in a failed batch is counted as sent. */
  error?: Error;
}

/** The course's JSON event: {"ride": {...}, "ride_id": ...}, plus the pickup time so the model can use it. */
export function toCourseJson(ride: RideStarted): Buffer {
  return Buffer.from(
    JSON.stringify({
      ride: {
        PULocationID: ride.PULocationID,
        DOLocationID: ride.DOLocationID,
        trip_distance: ride.trip_distance,
        pickup_datetime: new Date(ride.pickup_datetime).toISOString(),
      },
      ride_id: ride.ride_id,
    }),
  );
}

/**
 * Publishes ride-started events for upstream services: idempotent producer, keyed by ride id (so one ride's
 * events stay in one partition, in order), every send awaited until the broker acknowledges it.
 */
export class RideProducer {
  private readonly producer: IdempotentProducer;
  private readonly options: Settings;

  private constructor(producer: IdempotentProducer, options: Settings) {
    this.producer = producer;
    this.options = options;
  }

  static async connect(options: RideProducerOptions): Promise<RideProducer> {
    const logger = options.logger.child({ component: 'ride-producer' });
    const catalog = await openSchemaCatalog(options.schemaRegistryUrl, { 'ride-started': [options.topic] });
    // Idempotence gives exactly-once per partition across retries (KIP-98), in order.
    const producer = new IdempotentProducer(createKafka(options.kafka, options.logger), logger);
    await producer.connect();
    return new RideProducer(producer, {
      topic: options.topic,
      compression: options.compression ?? 'none',
      format: options.format ?? 'avro',
      wire: options.wire ?? 'confluent',
      schemaId: catalog.writeId('ride-started', options.topic),
      logger,
    });
  }

  /** A ride event with no headers: its value says what it is (framed Avro or JSON). */
  toMessage(ride: RideStarted): OutRecord {
    if (this.options.wire === 'tagged') {
      const { value, contentType } =
        this.options.format === 'json'
          ? { value: toCourseJson(ride), contentType: ContentTypes.json }
          : encodeRideStartedTagged(ride);
      return { key: ride.ride_id, value, headers: { [Headers.contentType]: contentType } };
    }
    const value =
      this.options.format === 'json' ? toCourseJson(ride) : encodeRideStarted(ride, this.options.schemaId);
    return { key: ride.ride_id, value };
  }

  async send(ride: RideStarted): Promise<void> {
    const result = await this.sendBatch([ride]);
    if (result.error) throw result.error;
  }

  /** Sends all rides in one request per partition leader; acknowledged as a whole or reported failed. */
  async sendBatch(rides: readonly RideStarted[]): Promise<SendResult> {
    if (rides.length === 0) return { sent: 0, failed: 0 };
    let messages: OutRecord[];
    try {
      messages = rides.map((ride) => this.toMessage(ride));
    } catch (err) {
      this.options.logger.error({ err }, 'could not encode rides');
      return { sent: 0, failed: rides.length, error: err as Error };
    }
    try {
      await this.producer.send([{ topic: this.options.topic, messages }], {
        compression: this.options.compression,
      });
      return { sent: rides.length, failed: 0 };
    } catch (err) {
      this.options.logger.error({ err, rides: rides.length }, 'send failed after retries');
      return { sent: 0, failed: rides.length, error: err as Error };
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}
