import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The committed model the tests pin: models/ride-duration/<CURRENT>. */
const root = fileURLToPath(new URL('../../models/ride-duration/', import.meta.url));
export const MODEL_DIR = `${root}${readFileSync(`${root}CURRENT`, 'utf8').trim()}`;
