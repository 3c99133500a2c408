/**
 * Finds the runnable examples of the user guides in `docs/*.md`, runs them against the built package
 * and compares what they print with the output written under them.
 *
 * Conventions (see docs/README.md, "Examples in these pages"):
 * - A fenced block whose info string is `ts run` is a runnable TypeScript example. Its imports of
 *   `microstructure`, `microstructure/node` (or `npm:microstructure...` in Deno examples) are rewritten
 *   to the built files in `dist/`, its types are stripped with esbuild, and it runs as an ES module in
 *   Node (`ts run deno`: in Deno) with a fresh temporary directory as its working directory.
 * - A fenced block whose info string is `sh run` is a shell example, run by bash in a fresh temporary
 *   directory with stderr merged into stdout; a leading `npx microstructure` runs `node dist/cli.js`.
 * - A `text output` block right after a runnable one (nothing but blank lines between) is its expected
 *   output, compared exactly after trimming trailing white space; `<varies>` in it matches any text
 *   within a line (timings). Without one, the example only has to exit with code 0.
 * - The path prefix `../shared/data/` (the real market data next to the repository) is rewritten to
 *   `sharedDataDir`; examples using it are skipped when the data is missing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transform } from 'esbuild';

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One fenced code block of a markdown file. */
export interface FencedBlock {
  /** The info string after the opening fence, trimmed (e.g. `ts run`). */
  readonly info: string;
  /** First word of the info string (`ts`, `sh`, `text`...). */
  readonly lang: string;
  /** The other words of the info string. */
  readonly flags: readonly string[];
  /** The block's content (without the fences), ending without a newline. */
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** 1-based line of the closing fence. */
  readonly endLine: number;
}

/** A runnable example and its expected output, if any. */
export interface DocExample {
  /** The markdown file, relative to the repository root. */
  readonly file: string;
  readonly block: FencedBlock;
  /** `node`, `deno` or `sh`. */
  readonly runner: 'node' | 'deno' | 'sh';
  /** The expected output block, or undefined when the example only has to run. */
  readonly output: FencedBlock | undefined;
  /** Whether it reads the real market data (`../shared/data/`). */
  readonly needsData: boolean;
}

/** The fenced blocks (``` fences at the start of a line) of a markdown text. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  let open: { fence: string; info: string; line: number; body: string[] } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] as string;
    if (open === null) {
      const m = /^(`{3,})(.*)$/.exec(text);
      if (m !== null) open = { fence: m[1] as string, info: (m[2] as string).trim(), line: i + 1, body: [] };
    } else if (text.trimEnd() === open.fence) {
      const words = open.info.split(/\s+/).filter((w) => w !== '');
      blocks.push({
        info: open.info,
        lang: words[0] ?? '',
        flags: words.slice(1),
        code: open.body.join('\n'),
        line: open.line,
        endLine: i + 1,
      });
      open = null;
    } else {
      open.body.push(text);
    }
  }
  if (open !== null) throw new Error(`unclosed code fence opened at line ${open.line}`);
  return blocks;
}

/** The runnable examples of one markdown file (`file` relative to the repository root). */
export function docExamples(file: string, markdown = readFileSync(join(repoRoot, file), 'utf8')): DocExample[] {
  const blocks = fencedBlocks(markdown);
  const lines = markdown.split('\n');
  const out: DocExample[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i] as FencedBlock;
    if (!block.flags.includes('run')) continue;
    if (block.lang !== 'ts' && block.lang !== 'sh') {
      throw new Error(`${file}:${block.line}: only ts and sh blocks can be runnable, not ${JSON.stringify(block.lang)}`);
    }
    const next = blocks[i + 1];
    let output: FencedBlock | undefined;
    if (next !== undefined && next.lang === 'text' && next.flags.includes('output')) {
      const between = lines.slice(block.endLine, next.line - 1);
      if (between.some((l) => l.trim() !== '')) {
        throw new Error(`${file}:${next.line}: an output block must follow its example directly (only blank lines between)`);
      }
      output = next;
    }
    const runner = block.lang === 'sh' ? 'sh' : block.flags.includes('deno') ? 'deno' : 'node';
    out.push({ file, block, runner, output, needsData: block.code.includes('../shared/data/') });
  }
  return out;
}

/** What running an example gave. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The program actually run (after the rewrites), for failure messages. */
  readonly program: string;
}

const distIndex = pathToFileURL(join(repoRoot, 'dist', 'index.js')).href;
const distNode = pathToFileURL(join(repoRoot, 'dist', 'node.js')).href;
const distTesting = pathToFileURL(join(repoRoot, 'dist', 'testing.js')).href;
const fastCheck = pathToFileURL(join(repoRoot, 'node_modules', 'fast-check', 'lib', 'fast-check.js')).href;

/** Rewrite the package imports to the built files and the data prefix to `dataDir`. */
export function rewriteImports(code: string, dataDir: string): string {
  return code
    .replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(?:npm:)?microstructure(\/node|\/testing)?\2/g, (_m, pre: string, _q: string, sub?: string) =>
      `${pre}${JSON.stringify(sub === '/node' ? distNode : sub === '/testing' ? distTesting : distIndex)}`,
    )
    .replace(/(\bfrom\s*)(['"])(?:npm:)?fast-check\2/g, (_m, pre: string) => `${pre}${JSON.stringify(fastCheck)}`)
    .replaceAll('../shared/data/', `${dataDir.replace(/\/$/, '')}/`);
}

function exec(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Omit<RunResult, 'program'>> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Run one example in a fresh temporary directory and collect its output. */
export async function runExample(example: DocExample, dataDir: string, timeoutMs = 60_000): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'microstructure-docs-'));
  // No colours (Deno colours piped output when FORCE_COLOR is set, whatever its value), no inherited flags.
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' };
  delete env['FORCE_COLOR'];
  delete env['NODE_OPTIONS'];
  try {
    if (example.runner === 'sh') {
      const cli = `node ${JSON.stringify(join(repoRoot, 'dist', 'cli.js'))}`;
      const script = rewriteImports(example.block.code, dataDir).replace(/^(\s*)npx microstructure\b/gm, `$1${cli}`);
      const program = `exec 2>&1\n${script}`;
      return { ...(await exec('bash', ['-c', program], dir, env, timeoutMs)), program };
    }
    const source = rewriteImports(example.block.code, dataDir);
    const { code: program } = await transform(source, { loader: 'ts', format: 'esm', target: 'es2022' });
    const file = join(dir, 'example.mjs');
    writeFileSync(file, program);
    if (example.runner === 'deno') {
      // The bundle imports its runtime dependency (ml-kmeans) by bare name: Deno resolves it from the
      // repo's node_modules, as it would from a project that installed microstructure with npm.
      const deno = join(repoRoot, 'node_modules', '.bin', 'deno');
      return { ...(await exec(deno, ['run', '--no-prompt', '--quiet', '--node-modules-dir=manual', file], repoRoot, env, timeoutMs)), program };
    }
    return { ...(await exec(process.execPath, [file], dir, env, timeoutMs)), program };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Trailing white space of every line and trailing blank lines removed. */
export function normalizeOutput(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n+$/, '');
}

/** Whether `actual` matches the expected output (`<varies>` matches any text within a line). */
export function outputMatches(expected: string, actual: string): boolean {
  const want = normalizeOutput(expected);
  const got = normalizeOutput(actual);
  if (!want.includes('<varies>')) return want === got;
  const pattern = want
    .split('<varies>')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^\\n]*?');
  return new RegExp(`^${pattern}$`).test(got);
}

/**
 * The output block's new content for `actual` (the `DOCS_UPDATE=1` mode): the expected text when it
 * still matches, else the actual output, keeping each expected line with `<varies>` that matches the
 * actual line at the same place (when both have the same number of lines).
 */
export function updatedOutput(expected: string, actual: string): string {
  if (outputMatches(expected, actual)) return expected;
  const want = normalizeOutput(expected).split('\n');
  const got = normalizeOutput(actual).split('\n');
  if (want.length !== got.length) return got.join('\n');
  return got.map((line, i) => (want[i]!.includes('<varies>') && outputMatches(want[i]!, line) ? want[i]! : line)).join('\n');
}

/** `markdown` with the given blocks' contents replaced (blocks by their fence lines). */
export function replaceBlocks(markdown: string, replacements: ReadonlyArray<{ block: FencedBlock; content: string }>): string {
  const lines = markdown.split('\n');
  const sorted = [...replacements].sort((a, b) => b.block.line - a.block.line);
  for (const { block, content } of sorted) lines.splice(block.line, block.endLine - block.line - 1, ...content.split('\n'));
  return lines.join('\n');
}
