/**
 * The user guides' examples run and print what the guides say they print.
 *
 * Every `ts run` / `sh run` block of `docs/*.md` runs against the built package (`npm test` builds
 * first; otherwise run `npm run build`), and its output is compared with the `text output` block under
 * it (conventions in test/docs/examples.ts). Examples reading the real market data skip without it.
 * Also checked: the guides' relative links point to files that exist, and the index lists every guide.
 *
 * `DOCS_UPDATE=1 npx vitest run test/docs` rewrites the output blocks that no longer match with what the
 * examples print now (keeping `<varies>` lines that still match): review the diff before committing it.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasSharedData, sharedDataDir, skipReason } from '../support/shared-data.js';
import {
  docExamples,
  type FencedBlock,
  fencedBlocks,
  normalizeOutput,
  outputMatches,
  replaceBlocks,
  repoRoot,
  rewriteImports,
  runExample,
  updatedOutput,
} from './examples.js';

const docsDir = join(repoRoot, 'docs');
const update = process.env['DOCS_UPDATE'] === '1';
const guides = readdirSync(docsDir)
  .filter((f) => f.endsWith('.md'))
  .sort();

describe('the docs example harness', () => {
  it('finds ts/sh run blocks and the output block right under them', () => {
    const md = ['# t', '```ts run', 'console.log(1);', '```', '', '```text output', '1', '```', '```ts', 'not run', '```', '```sh run', 'echo hi', '```'].join('\n');
    const examples = docExamples('x.md', md);
    expect(examples.map((e) => [e.runner, e.block.line, e.output?.code])).toEqual([
      ['node', 2, '1'],
      ['sh', 12, undefined],
    ]);
  });

  it('rejects an output block separated from its example by prose', () => {
    const md = ['```ts run', 'console.log(1);', '```', 'prose', '```text output', '1', '```'].join('\n');
    expect(() => docExamples('x.md', md)).toThrow(/x\.md:5: an output block must follow its example directly/);
  });

  it('rewrites package imports and the data prefix, and leaves other strings alone', () => {
    const code = "import { Ofi } from 'microstructure';\nimport { readLobster } from \"microstructure/node\";\nconst x = 'microstructure';\nconst f = '../shared/data/lobster/a.csv';";
    const out = rewriteImports(code, '/data');
    expect(out).toMatch(/from "file:\/\/.*\/dist\/index\.js";/);
    expect(out).toMatch(/from "file:\/\/.*\/dist\/node\.js";/);
    expect(out).toContain("const x = 'microstructure';");
    expect(out).toContain("'/data/lobster/a.csv'");
  });

  it('matches output exactly after trimming, and <varies> within one line only', () => {
    expect(outputMatches('a\nb', 'a  \nb\n\n')).toBe(true);
    expect(outputMatches('a\nb', 'a\nc')).toBe(false);
    expect(outputMatches('took <varies> s\nend', 'took 1.25 s\nend')).toBe(true);
    expect(outputMatches('took <varies> s', 'took 1\n2 s')).toBe(false);
    expect(normalizeOutput('x \n\n')).toBe('x');
  });

  it('reports an unclosed fence', () => {
    expect(() => fencedBlocks('```ts\nx')).toThrow(/unclosed code fence opened at line 1/);
  });
});

describe('README.md', () => {
  it("shows the analyze report the getting-started guide's checked example prints (the README's own block is not run)", () => {
    const report = (markdown: string): string | undefined =>
      fencedBlocks(markdown).find((b) => b.code.startsWith('microstructure report: GOOG_2012-06-21'))?.code;
    const readme = report(readFileSync(join(repoRoot, 'README.md'), 'utf8'));
    const guide = report(readFileSync(join(docsDir, 'getting-started.md'), 'utf8'));
    expect(readme, 'README.md has the analyze report').toBeDefined();
    expect(guide, 'docs/getting-started.md has the analyze report').toBeDefined();
    // the README shows the report without its last, timing-dependent lines
    const lines = normalizeOutput(readme!).split('\n');
    expect(normalizeOutput(guide!).split('\n').slice(0, lines.length)).toEqual(lines);
  });
});

describe('docs/', () => {
  it('has an index that links every guide', () => {
    const index = readFileSync(join(docsDir, 'README.md'), 'utf8');
    for (const guide of guides.filter((g) => g !== 'README.md')) expect(index, `docs/README.md links ${guide}`).toContain(`](${guide}`);
  });

  it('links only to files that exist', () => {
    const broken: string[] = [];
    for (const guide of guides) {
      const text = readFileSync(join(docsDir, guide), 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = (m[1] as string).split('#')[0] as string;
        if (target === '' || /^[a-z]+:/i.test(target)) continue;
        if (!existsSync(resolve(dirname(join(docsDir, guide)), target))) broken.push(`docs/${guide}: ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

for (const guide of guides) {
  const examples = docExamples(`docs/${guide}`);
  if (examples.length === 0) continue;
  describe.concurrent(`docs/${guide}`, () => {
    const updates: Array<{ block: FencedBlock; content: string }> = [];
    afterAll(() => {
      if (updates.length === 0) return;
      const file = join(docsDir, guide);
      writeFileSync(file, replaceBlocks(readFileSync(file, 'utf8'), updates));
    });
    for (const ex of examples) {
      const skip = ex.needsData && !hasSharedData;
      const what = ex.output === undefined ? 'runs without error' : 'prints its documented output';
      const name = `example at line ${ex.block.line} (${ex.runner}) ${what}${skip ? ` (${skipReason})` : ''}`;
      it.skipIf(skip)(name, async () => {
        if (!existsSync(join(repoRoot, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
        const r = await runExample(ex, sharedDataDir);
        const context = `docs/${guide}:${ex.block.line}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
        expect(r.code, context).toBe(0);
        if (ex.output === undefined) return;
        if (update) {
          if (!outputMatches(ex.output.code, r.stdout)) updates.push({ block: ex.output, content: updatedOutput(ex.output.code, r.stdout) });
          return;
        }
        if (ex.output.code.includes('<varies>')) expect(outputMatches(ex.output.code, r.stdout), context).toBe(true);
        else expect(normalizeOutput(r.stdout), context).toBe(normalizeOutput(ex.output.code));
      });
    }
  });
}
