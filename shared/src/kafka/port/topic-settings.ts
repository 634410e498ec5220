/** The product's topics and how to create them (TOPIC_* and *_TOPIC variables, read by config/kafka-config.ts). */
export interface TopicSettings {
  rides: string;
  predictions: string;
  deadLetters: string;
  partitions: number;
  replicationFactor: number;
}
