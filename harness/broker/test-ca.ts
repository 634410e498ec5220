import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCa, signCert } from '../pki.js';

export interface TestCertificates {
  /** PEM of the generated CA: what clients trust (KAFKA_SSL_CA). */
  caPem: string;
  caFile: string;
  /** Broker private key (unencrypted PKCS#8) followed by its certificate: a Kafka PEM keystore (KIP-651). */
  keystoreFile: string;
}

/**
 * A throw-away CA and a broker certificate it signed, valid for 127.0.0.1 and localhost (so clients verify the
 * host name as well as the chain), written into `dir`. Two days of validity: long enough for any test run.
 */
export async function createTestCertificates(dir: string): Promise<TestCertificates> {
  const ca = await createCa(dir, 'ca');
  const broker = await signCert(dir, ca, {
    name: 'broker',
    commonName: 'localhost',
    altNames: ['IP:127.0.0.1', 'DNS:localhost'],
  });
  const keystoreFile = join(dir, 'broker-keystore.pem');
  await writeFile(keystoreFile, `${await readFile(broker.key, 'utf8')}${broker.pem}`, { mode: 0o600 });
  return { caPem: ca.pem, caFile: ca.cert, keystoreFile };
}
