import { fileURLToPath } from 'node:url';

/** Repository root, found from this file's location so scripts work from any working directory. */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
