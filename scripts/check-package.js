// Packs the package and checks the tarball with publint (--strict) and arethetypeswrong.
// Usage: npm run check:package   (exits non-zero on any finding)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'microstructure-pack-'));
const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
try {
  const out = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir]));
  const tarball = join(dir, out[0].filename);
  console.log(`packed ${out[0].filename}: ${out[0].entryCount} files, ${out[0].size} bytes`);
  const leaked = out[0].files.map((f) => f.path).filter((p) => !/^(dist\/|README\.md$|CHANGELOG\.md$|LICENSE$|package\.json$)/.test(p));
  if (leaked.length) throw new Error(`unexpected files in the tarball: ${leaked.join(', ')}`);
  console.log(run('npx', ['publint', '--strict', tarball]));
  console.log(run('npx', ['attw', '--profile', 'node16', tarball]));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
