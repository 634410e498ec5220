// The development harness: what tests, chaos, the bench, the demo and `npm run kafka` share. Never imported by
// the product (shared, producer, consumer).
export type { BrokerHandle, BrokerKind, BrokerOptions } from './broker/broker-handle.js';
export { dockerAvailable } from './broker/docker-available.js';
export { HARNESS_MARKER, harnessMarker, javaArgs, spawnWatchdog, stopJava } from './broker/java-process.js';
export {
  electPreferredLeaders,
  groupCoordinator,
  onPreferredLeaders,
  runKafkaTool,
  transactionCoordinators,
} from './broker/kafka-tools.js';
export { KAFKA_IMAGE, KAFKA_VERSION } from './broker/kafka-version.js';
export { type LocalBrokerHandle, startLocalBroker } from './broker/local-broker.js';
export {
  type ClusterNode,
  type ClusterOptions,
  type LocalClusterHandle,
  startLocalCluster,
} from './broker/local-cluster.js';
export { resolveKafkaJars } from './broker/maven-jars.js';
export { type SecureBrokerHandle, type SecureBrokerOptions, startSaslSslBroker } from './broker/sasl-ssl.js';
export { type HarnessMode, type StartBrokerOptions, startBroker } from './broker/start-broker.js';
export {
  type Child,
  type NodeSpawnOptions,
  type RunResult,
  runChecked,
  runToExit,
  type SpawnOptions,
  spawnChild,
  spawnNode,
  stopAllChildren,
  tail,
} from './child-process.js';
export {
  type Container,
  ownContainers,
  type RunSpec,
  removeOrphanContainers,
  startContainer,
} from './containers/container.js';
export { type ContainerEngine, containerEngine, type EngineName } from './containers/container-engine.js';
export { LOCAL_NODE_IMAGE, NODE_IMAGE, nodeBaseImage } from './containers/node-base-image.js';
export {
  type BuiltImage,
  buildImage,
  type ImageSpec,
  imageLabels,
  PROJECT_IMAGES,
} from './containers/project-images.js';
export { type Cleanup, registerCleanup } from './exit-hooks.js';
export { freePort } from './free-port.js';
export { BATCH_SCORER_MAIN, runBatchScorer } from './programs/batch-scorer.js';
export {
  EVALUATOR_MAIN,
  type EvaluatorOptions,
  type EvaluatorProcess,
  startEvaluator,
} from './programs/evaluator.js';
export { PRODUCER_MAIN, type ProducerOptions, startProducer } from './programs/producer-cli.js';
export {
  STREAM_SCORER_MAIN,
  type StreamScorer,
  type StreamScorerOptions,
  startStreamScorer,
} from './programs/stream-scorer.js';
export { isReady, type WaitReadyOptions, waitReady } from './programs/wait-ready.js';
export {
  startWebService,
  WEB_SERVICE_MAIN,
  type WebService,
  type WebServiceOptions,
} from './programs/web-service.js';
export { MODEL_DIR, REPO_ROOT } from './repo-paths.js';
export { APICURIO_VERSION, type SchemaRegistry, startSchemaRegistry } from './servers/apicurio-registry.js';
export { type MlflowServer, type RegisteredVersion, startMlflowServer } from './servers/mlflow-server.js';
export { exitOnOlderNode } from './supported-node.js';
export {
  committedOffsets,
  createTopics,
  endOffsets,
  type Offsets,
  recordCount,
  type StreamTopics,
  streamTopicNames,
} from './topics.js';
export { nameAfter, uniqueName } from './unique-name.js';
export { type WaitOptions, waitFor } from './wait-for.js';
