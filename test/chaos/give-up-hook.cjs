// Test-only preload (NODE_OPTIONS=--require) for the chaos suite: when the file named by CHAOS_GIVE_UP_FILE
// appears, the consumer's next heartbeat fails once with an error kafkajs treats as final (group coordinator not
// found), so kafkajs crashes the consumer without restarting it. The first member to see the file removes it.
const { existsSync, rmSync } = require('node:fs');
const ConsumerGroup = require('kafkajs/src/consumer/consumerGroup.js');
const { KafkaJSGroupCoordinatorNotFound } = require('kafkajs/src/errors.js');

const armed = process.env.CHAOS_GIVE_UP_FILE;
const heartbeat = ConsumerGroup.prototype.heartbeat;
ConsumerGroup.prototype.heartbeat = async function failingHeartbeat(...args) {
  if (armed && existsSync(armed)) {
    rmSync(armed, { force: true });
    throw new KafkaJSGroupCoordinatorNotFound('chaos: failed to find the group coordinator');
  }
  return heartbeat.apply(this, args);
};
