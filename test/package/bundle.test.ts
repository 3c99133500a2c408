/**
 * Tests the built package (run `npm run build` first; `npm test` does): the ESM and CJS bundles load
 * in Node by their package name, and the ESM bundle runs in Deno. Each computes the microprice of the
 * dev day's first row: (579.40 * 100 + 580.23 * 496) / (496 + 100) = 345,614.08 / 596 = 580.0907382550336.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const expected = '580.0907382550336';
const program = (load: string) => `${load}
const book = bookFromLevels([[579.40, 496]], [[580.23, 100]]);
console.log(String(microprice(book)));`;

describe('the built package', () => {
  let dir = '';
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
    // A consumer project whose node_modules/microstructure links to this repo, so imports go through `exports`.
    dir = mkdtempSync(join(tmpdir(), 'microstructure-consumer-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'microstructure'), 'dir');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const node = (file: string, source: string) => {
    writeFileSync(join(dir, file), source);
    return execFileSync(process.execPath, [join(dir, file)], { encoding: 'utf8', cwd: dir }).trim();
  };

  it('imports as ESM in Node and computes a microprice', () => {
    expect(node('esm.mjs', program("import { bookFromLevels, microprice } from 'microstructure';"))).toBe(expected);
  });

  it('requires as CJS in Node and computes a microprice', () => {
    expect(node('cjs.cjs', program("const { bookFromLevels, microprice } = require('microstructure');"))).toBe(expected);
  });

  it('loads the node and pg subpaths in both module systems', () => {
    const esm = node('sub.mjs', "import * as n from 'microstructure/node'; import * as p from 'microstructure/pg'; console.log(typeof n, typeof p);");
    expect(esm).toBe('object object');
    const cjs = node('sub.cjs', "const n = require('microstructure/node'); const p = require('microstructure/pg'); console.log(typeof n, typeof p);");
    expect(cjs).toBe('object object');
  });

  it('runs the ESM bundle in Deno and computes a microprice', () => {
    // A Deno project with an npm-installed microstructure (node_modules, package.json): Deno resolves the
    // package through its `exports` and its runtime dependency from node_modules.
    const deno = join(root, 'node_modules', '.bin', 'deno');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: { microstructure: '*' } }));
    const file = join(dir, 'deno.mjs');
    writeFileSync(file, program("import { bookFromLevels, microprice } from 'microstructure';"));
    const out = execFileSync(deno, ['run', '--no-prompt', '--quiet', '--node-modules-dir=manual', file], {
      encoding: 'utf8',
      cwd: dir,
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    }).trim();
    expect(out).toBe(expected);
  });
});
