import type { Logger } from '../logger.js';
import { kafkajsClient } from './kafkajs/client.js';
import { platformaticClient } from './platformatic/client.js';
import { DEFAULT_KAFKA_CLIENT, type KafkaClient } from './port/kafka-port.js';
import type { KafkaSettings } from './port/kafka-settings.js';

/** The client `settings.client` names (KAFKA_CLIENT), behind our port. */
export function createKafka(settings: KafkaSettings, logger: Logger): KafkaClient {
  return (settings.client ?? DEFAULT_KAFKA_CLIENT) === 'platformatic'
    ? platformaticClient(settings, logger)
    : kafkajsClient(settings, logger);
}
