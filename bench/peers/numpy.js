// Peer: numpy, vectorized over the whole day (bench/peers/numpy_signals.py, run with the system python3).
// Skipped with a message when python3 or numpy is missing. The script reports its own timings as JSON;
// here they become peer entries next to the library's figures for the same signals on the same rows.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const script = join(here, 'numpy_signals.py');

/** Our per-signal cases (suite 'book signals') for the script's signal names. */
const OURS = {
  spread: 'spread',
  mid: 'mid',
  microprice: 'microprice',
  obi: 'obi (level 1)',
  wobi: 'WeightedObi (10 levels)',
  ofi: 'Ofi (level 1)',
  all: 'book signals: spread+mid+microprice+OBI+wOBI(10)+OFI',
};

/**
 * The Python to run: `$PYTHON` if set, else the first of `python3` and `/usr/bin/python3` that imports
 * numpy and pandas, else the first that imports numpy (pyenv's `python3` may lack what Debian's
 * `python3-pandas` installed for the system one), else `python3` (the run then says what is missing).
 */
export function pickPython() {
  if (process.env.PYTHON) return process.env.PYTHON;
  const candidates = ['python3', '/usr/bin/python3'];
  const has = (py, mods) => spawnSync(py, ['-c', `import ${mods}`], { encoding: 'utf8', timeout: 60_000 }).status === 0;
  return candidates.find((py) => has(py, 'numpy, pandas')) ?? candidates.find((py) => has(py, 'numpy')) ?? 'python3';
}

/** Run the script; returns its JSON, or { skipped: reason }. */
export function runScript(orderbookFile, { reps, rows, python = pickPython(), timeoutMs = 600_000 }) {
  const args = [script, '--orderbook', orderbookFile, '--reps', String(reps)];
  if (rows !== undefined) args.push('--rows', String(rows));
  // One BLAS thread (unless the caller set it): the library is single-threaded too, and on a busy 2-core
  // machine a threaded matrix-vector product (the weighted OBI) loses more to contention than it gains.
  const env = { ...process.env };
  for (const k of ['OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS']) env[k] ??= '1';
  const r = spawnSync(python, args, { encoding: 'utf8', timeout: timeoutMs, env });
  if (r.error) return { skipped: `${python} not runnable: ${r.error.message}` };
  if (r.status !== 0) return { skipped: `${python} ${script} exited ${r.status}: ${r.stderr.trim().split('\n').pop()}` };
  try {
    return { ...JSON.parse(r.stdout.trim().split('\n').pop()), blasThreads: env.OPENBLAS_NUM_THREADS };
  } catch (e) {
    return { skipped: `unreadable output of ${script}: ${e.message}` };
  }
}

/** Sums of our signals over the same books, to check both sides computed the same numbers. */
export function ourSums(lib, books) {
  const wobi = new lib.WeightedObi({ levels: 10 });
  const ofi = new lib.Ofi();
  const s = { spread: 0, mid: 0, microprice: 0, obi: 0, wobi: 0, ofi: 0 };
  const add = (k, v) => {
    if (v === v) s[k] += v;
  };
  for (const b of books) {
    add('spread', lib.spread(b));
    add('mid', lib.mid(b));
    add('microprice', lib.microprice(b));
    add('obi', lib.obi(b));
    add('wobi', wobi.update(b));
    add('ofi', ofi.update(b));
  }
  return s;
}

/**
 * Peer entries from the script's output and our results of the same run.
 * @param {object} out the script's JSON
 * @param {object[]} results our results so far (book signals, replay)
 * @param {Record<string, number>} sums ours, see ourSums
 */
export function entries(out, results, sums) {
  const rows = out.rows;
  const find = (suite, name) => results.find((r) => r.suite === suite && r.name === name);
  const agree = {};
  for (const k of Object.keys(sums)) {
    const a = sums[k];
    const b = out.sums[k];
    agree[k] = a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  }
  const list = [];
  const add = (name, ours, peerSec, extra = {}) => {
    if (ours === undefined || !(peerSec > 0)) return;
    const peerRate = rows / peerSec;
    list.push({
      suite: 'peers',
      name,
      peer: `numpy ${out.numpy} (python ${out.python})`,
      eventsPerSec: ours.eventsPerSec,
      peerEventsPerSec: peerRate,
      ratioOursToPeer: ours.eventsPerSec / peerRate,
      ...extra,
    });
  };
  for (const k of ['spread', 'mid', 'microprice', 'obi', 'wobi', 'ofi']) {
    add(`numpy:${k} (vectorized batch over the day's arrays)`, find('book signals', OURS[k]), out.compute[k], { sumsAgree: agree[k] });
  }
  add(`numpy:book signals, all six (vectorized batch over the day's arrays)`, find('book signals', OURS.all), out.compute.all, {
    sumsAgree: Object.values(agree).every(Boolean),
    goal: 'faster than numpy\'s vectorized batch of the same signals (ours / peer > 1)',
  });
  const last = list[list.length - 1];
  if (last?.goal) last.goalMet = last.ratioOursToPeer > 1;
  // reading the file too: numpy reads the orderbook file (gunzip + loadtxt + columns); ours reads BOTH
  // LOBSTER files into rows with books (readLobster) and then computes the signals: the composition of
  // two figures measured in this run, 1 / (1 / parse rate + 1 / signals rate).
  const parse = find('replay', 'LOBSTER parse (readLobster: rows with books)');
  const signals = find('book signals', OURS.all);
  if (parse && signals) {
    const read = out.read.gunzipSec + out.read.parseSec + out.read.prepSec;
    const composed = { eventsPerSec: 1 / (1 / parse.eventsPerSec + 1 / signals.eventsPerSec) };
    add(`numpy:book signals incl. reading the file (loadtxt + batch)`, composed, read + out.compute.all, {
      note: 'ours: readLobster (message and orderbook files) + signals, composed from two figures of this run; numpy: the orderbook file only',
    });
    if (out.pandas && out.pandas.readCsvSec !== undefined) {
      add(`pandas:read_csv + numpy batch`, composed, out.pandas.readCsvSec + out.pandas.computeSec, {
        peer: `pandas ${out.pandas.version}`,
        goal: 'at least 2x pandas.read_csv + the numpy batch (ours / peer >= 2)',
      });
      const p = list[list.length - 1];
      if (p?.goal) p.goalMet = p.ratioOursToPeer >= 2;
    }
  }
  return list;
}
