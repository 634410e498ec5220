#!/usr/bin/env bash
# One-shot topic creator for docker-compose.yml, run in the apache/kafka image (its kafka-topics.sh).
# Creates the scorer's input, output and dead-letter topics, the rides' completions and the evaluator's output, all
# with the same partition count; rerunning is harmless (--if-not-exists). The evaluator joins a ride's prediction to
# its completion by partition number, so it fails (exit 1) when those two topics' counts differ, e.g. one created
# earlier with another TOPIC_PARTITIONS.
set -euo pipefail

brokers="${KAFKA_BROKERS:-kafka:9092}"
partitions="${TOPIC_PARTITIONS:-6}"
replication="${TOPIC_REPLICATION_FACTOR:-1}"
topics_bin="${KAFKA_HOME:-/opt/kafka}/bin/kafka-topics.sh"
predictions="${PREDICTIONS_TOPIC:-ride-predictions}"
completions="${COMPLETIONS_TOPIC:-ride-completions}"

for topic in "${RIDES_TOPIC:-rides}" "$predictions" "${DLQ_TOPIC:-rides.dlq}" "$completions" \
  "${EVALUATIONS_TOPIC:-ride-evaluations}"; do
  "$topics_bin" --bootstrap-server "$brokers" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor "$replication"
done

# PartitionCount from the topic's summary line ("Topic: x  TopicId: …  PartitionCount: 6  …").
partition_count() {
  "$topics_bin" --bootstrap-server "$brokers" --describe --topic "$1" |
    sed -n 's/.*PartitionCount:[[:space:]]*\([0-9][0-9]*\).*/\1/p' | head -n 1
}
predicted="$(partition_count "$predictions")"
completed="$(partition_count "$completions")"
if [[ -z "$predicted" || "$predicted" != "$completed" ]]; then
  echo "create-topics: $predictions has ${predicted:-no} partitions and $completions ${completed:-no}: the evaluator" \
    "joins them by partition number, so they must have the same count. Delete the newer one and run again with" \
    "TOPIC_PARTITIONS=${predicted:-$partitions}, or raise the smaller with kafka-topics.sh --alter --partitions" \
    "(keys already written stay in their old partitions)." >&2
  exit 1
fi
"$topics_bin" --bootstrap-server "$brokers" --describe
