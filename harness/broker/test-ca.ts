import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runToExit, tail } from '../child-process.js';

export interface TestCertificates {
  /** PEM of the generated CA: what clients trust (KAFKA_SSL_CA). */
  caPem: string;
  caFile: string;
  /** Broker private key (unencrypted PKCS#8) followed by its certificate: a Kafka PEM keystore (KIP-651). */
  keystoreFile: string;
}

async function openssl(args: readonly string[], cwd: string): Promise<void> {
  const result = await runToExit('openssl', args, { cwd }).catch((err: unknown) => {
    throw new Error('Cannot run `openssl`, needed to generate the test CA: install OpenSSL', { cause: err });
  });
  if (result.code !== 0)
    throw new Error(`openssl ${args[0]} failed (exit ${result.code}):\n${tail(result.output)}`);
}

/**
 * A throw-away CA and a broker certificate it signed, valid for 127.0.0.1 and localhost (so clients verify the
 * host name as well as the chain), written into `dir`. Two days of validity: long enough for any test run.
 */
export async function createTestCertificates(dir: string): Promise<TestCertificates> {
  const file = (name: string) => join(dir, name);
  const days = ['-days', '2'];
  await openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=ride-test-ca',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      ...days,
    ],
    dir,
  );
  await openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-keyout',
      'broker.key',
      '-out',
      'broker.csr',
    ],
    dir,
  );
  await writeFile(file('broker.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      'broker.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'broker.pem',
      '-extfile',
      'broker.ext',
      ...days,
    ],
    dir,
  );
  const keystore = `${await readFile(file('broker.key'), 'utf8')}${await readFile(file('broker.pem'), 'utf8')}`;
  await writeFile(file('broker-keystore.pem'), keystore, { mode: 0o600 });
  return {
    caPem: await readFile(file('ca.pem'), 'utf8'),
    caFile: file('ca.pem'),
    keystoreFile: file('broker-keystore.pem'),
  };
}
