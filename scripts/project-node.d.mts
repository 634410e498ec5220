/** Types of project-node.mjs (plain JS so it runs before anything is installed). */
export function projectNode(root: string): string | undefined;
export function packedNode(root: string, version: string): string;
