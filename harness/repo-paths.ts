import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, found from this file's location so scripts work from any working directory. */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The model the consumer processes of tests and the bench score with. */
export const MODEL_DIR = join(REPO_ROOT, 'models', 'ride-duration', '1.0.0');
