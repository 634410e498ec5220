import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runToExit, tail } from '../child-process.js';
import { REPO_ROOT } from '../repo-paths.js';
import { KAFKA_VERSION, LOG4J_VERSION } from './kafka-version.js';

const dependency = (groupId: string, artifactId: string, version: string): string =>
  `    <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency>`;

function renderPom(version: string): string {
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>ride.harness</groupId>
  <artifactId>kafka-libs</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
  <dependencies>
${dependency('org.apache.kafka', 'kafka_2.13', version)}
${dependency('org.apache.kafka', 'kafka-tools', version)}
${dependency('org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J_VERSION)}
  </dependencies>
</project>
`;
}

export function kafkaLibsDir(version: string = KAFKA_VERSION): string {
  return join(REPO_ROOT, '.cache', 'kafka', version, 'libs');
}

/**
 * Returns a folder holding the broker's classpath (kafka_2.13, kafka-tools and a log4j2 binding), resolving it
 * from Maven Central on first use. Maven copies into a private folder that is renamed into place only when
 * complete, so concurrent callers never see a half-filled folder; the loser of the race discards its copy.
 */
export async function resolveKafkaJars(version: string = KAFKA_VERSION): Promise<string> {
  const libs = kafkaLibsDir(version);
  if (existsSync(libs)) return libs;
  const versionDir = join(libs, '..');
  await mkdir(versionDir, { recursive: true });
  const work = await mkdtemp(join(versionDir, 'resolving-'));
  try {
    await writeFile(join(work, 'pom.xml'), renderPom(version));
    const outputDir = join(work, 'libs');
    const args = [
      '-q',
      '-B',
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${outputDir}`,
    ];
    const result = await runToExit('mvn', args, { cwd: work }).catch((err: unknown) => {
      throw new Error(
        'Cannot run Maven (`mvn`), needed to fetch the Kafka broker jars: install Maven 3 and Java 17+',
        {
          cause: err,
        },
      );
    });
    if (result.code !== 0) {
      throw new Error(
        `Maven could not resolve Kafka ${version} jars (exit ${result.code}):\n${tail(result.output)}`,
      );
    }
    await rename(outputDir, libs).catch((err: unknown) => {
      if (!existsSync(libs)) throw err;
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return libs;
}
