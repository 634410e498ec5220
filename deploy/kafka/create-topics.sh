#!/usr/bin/env bash
# One-shot topic creator for docker-compose.yml, run in the apache/kafka image (its kafka-topics.sh).
# Creates the consumer's input, output and dead-letter topics; rerunning is harmless (--if-not-exists).
set -euo pipefail

brokers="${KAFKA_BROKERS:-kafka:9092}"
partitions="${TOPIC_PARTITIONS:-6}"
replication="${TOPIC_REPLICATION_FACTOR:-1}"
topics_bin="${KAFKA_HOME:-/opt/kafka}/bin/kafka-topics.sh"

for topic in "${RIDES_TOPIC:-rides}" "${PREDICTIONS_TOPIC:-ride-predictions}" "${DLQ_TOPIC:-rides.dlq}"; do
  "$topics_bin" --bootstrap-server "$brokers" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor "$replication"
done
"$topics_bin" --bootstrap-server "$brokers" --describe
