// Test-only preload (NODE_OPTIONS=--require) for the chaos suite: when the file named by CHAOS_STALL_FILE appears,
// the next produce request of the member that claims it (by renaming the file, so exactly one member does) never
// settles: nothing is sent and no timeout fires, so the chunk that sent it waits forever, as a stalled partition
// does. kafkajs waits for every batch of a fetch before the next one, so the member's other partitions stop too.
// With CHAOS_STALL_ALL=1 every later produce request of that member never settles either: recovery cannot help.
// Both clients' produce paths are held: kafkajs's broker request, and @platformatic/kafka's send (KAFKA_CLIENT).
const { renameSync } = require('node:fs');
const Broker = require('kafkajs/src/broker/index.js');
// require() of an ES module (Node 22+) yields the instance the product imports, so its prototype is shared.
const { Producer } = require('@platformatic/kafka');

const armed = process.env.CHAOS_STALL_FILE;
const holdEvery = process.env.CHAOS_STALL_ALL === '1';
let holding = false;

/** True when this request is to be held forever. */
function hold() {
  if (holding) return true;
  if (!armed) return false;
  try {
    renameSync(armed, `${armed}.claimed`);
  } catch {
    return false; // not armed, or another member claimed it
  }
  process.stderr.write(`chaos: holding a produce request forever (pid ${process.pid})\n`);
  holding = holdEvery;
  return true;
}

const produce = Broker.prototype.produce;
Broker.prototype.produce = function stallingProduce(...args) {
  return hold() ? new Promise(() => {}) : produce.apply(this, args);
};
const send = Producer.prototype.send;
Producer.prototype.send = function stallingSend(...args) {
  return hold() ? new Promise(() => {}) : send.apply(this, args);
};
