import { requireSupportedNode } from '@ride/shared';

/** The scripts' first step, as the programs': on an older Node, say which one is needed and stop (exit 2). */
export function exitOnOlderNode(script: string): void {
  try {
    requireSupportedNode(script);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
}
