// Test-only preload (NODE_OPTIONS=--require) for the chaos suite: when the file named by CHAOS_STALL_FILE appears,
// the next produce request of the member that claims it (by renaming the file, so exactly one member does) never
// settles: nothing is sent and no timeout fires, so the chunk that sent it waits forever, as a stalled partition
// does. kafkajs waits for every batch of a fetch before the next one, so the member's other partitions stop too.
// With CHAOS_STALL_ALL=1 every later produce request of that member never settles either: recovery cannot help.
const { renameSync } = require('node:fs');
const Broker = require('kafkajs/src/broker/index.js');

const armed = process.env.CHAOS_STALL_FILE;
const holdEvery = process.env.CHAOS_STALL_ALL === '1';
let holding = false;
const produce = Broker.prototype.produce;
Broker.prototype.produce = function stallingProduce(...args) {
  if (holding) return new Promise(() => {});
  if (armed) {
    try {
      renameSync(armed, `${armed}.claimed`);
      process.stderr.write(`chaos: holding a produce request forever (pid ${process.pid})\n`);
      holding = holdEvery;
      return new Promise(() => {});
    } catch {
      // not armed, or another member claimed it
    }
  }
  return produce.apply(this, args);
};
