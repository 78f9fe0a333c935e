import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root, found from a source file or from its compiled copy under dist/. */
export const repoRoot = findPackageRoot(import.meta.dirname);

/** The sample township's configuration. */
export const sampleConfigDir = path.join(repoRoot, 'config');

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
