import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runToExit, tail } from './child-process.js';

/** A certificate and its key as files, and the certificate's PEM (for a kubeconfig's or an APIService's CA). */
export interface KeyPair {
  cert: string;
  key: string;
  pem: string;
}

async function openssl(args: readonly string[], cwd: string): Promise<void> {
  const result = await runToExit('openssl', args, { cwd }).catch((err: unknown) => {
    throw new Error('Cannot run `openssl`, needed to generate test certificates: install OpenSSL', {
      cause: err,
    });
  });
  if (result.code !== 0)
    throw new Error(
      `openssl ${args.slice(0, 2).join(' ')} failed (exit ${result.code}):\n${tail(result.output)}`,
    );
}

const days = ['-days', '2'];

/** A throw-away certificate authority named `name` in `dir` (two days: longer than any run). */
export async function createCa(dir: string, name: string): Promise<KeyPair> {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  await openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      key,
      '-out',
      cert,
      ...days,
    ],
    dir,
  );
  return { cert, key, pem: await readFile(cert, 'utf8') };
}

export interface CertRequest {
  /** File name stem in the CA's folder. */
  name: string;
  commonName: string;
  /** Subject alternative names as openssl writes them: `DNS:localhost`, `IP:127.0.0.1`. */
  altNames?: readonly string[];
  /** Client certificates (the aggregator's front proxy) rather than serving ones. */
  client?: boolean;
}

/** A key and a certificate `ca` signed, in `dir`. */
export async function signCert(dir: string, ca: KeyPair, request: CertRequest): Promise<KeyPair> {
  const file = (ext: string) => join(dir, `${request.name}.${ext}`);
  await openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${request.commonName}`,
      '-keyout',
      file('key'),
      '-out',
      file('csr'),
    ],
    dir,
  );
  const ext = [
    `extendedKeyUsage=${request.client ? 'clientAuth' : 'serverAuth,clientAuth'}`,
    ...(request.altNames?.length ? [`subjectAltName=${request.altNames.join(',')}`] : []),
  ];
  await writeFile(file('ext'), `${ext.join('\n')}\n`);
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      file('csr'),
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-CAcreateserial',
      '-out',
      file('crt'),
      '-extfile',
      file('ext'),
      ...days,
    ],
    dir,
  );
  return { cert: file('crt'), key: file('key'), pem: await readFile(file('crt'), 'utf8') };
}

/** An RSA key pair for signing service-account tokens: the private key and its public half. */
export async function createSigningKey(dir: string, name: string): Promise<{ key: string; pub: string }> {
  const key = join(dir, `${name}.key`);
  const pub = join(dir, `${name}.pub`);
  await openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', key], dir);
  await openssl(['pkey', '-in', key, '-pubout', '-out', pub], dir);
  return { key, pub };
}
