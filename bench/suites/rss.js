// Resident memory of `analyze` over the same day fed once and five times in a row, each in a fresh Node
// process (peak RSS from process.resourceUsage().maxRSS): a replay must use constant memory, so five days
// may not need more than 1.2x the memory of one.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'node.js');

function peakRss(files, times) {
  const program = `
    const m = await import(${JSON.stringify(dist)});
    for (let i = 0; i < ${times}; i++) await m.analyze({ messageFile: ${JSON.stringify(files.message)}, orderbookFile: ${JSON.stringify(files.orderbook)} });
    console.log(process.resourceUsage().maxRSS * 1024);`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' });
  return Number(out.trim().split('\n').pop());
}

/** Entries `{ suite: 'memory', name, rssBytes, ... }` for 1 and 5 days, and the ratio against the goal. */
export function measureRss(files, log) {
  if (files === null) return [];
  log('suite: memory (analyze the input once, then five times, in fresh processes)');
  const once = peakRss(files, 1);
  const five = peakRss(files, 5);
  const ratio = five / once;
  return [
    { suite: 'memory', name: 'analyze, the input once: peak RSS', rssBytes: once },
    { suite: 'memory', name: 'analyze, the input five times in a row: peak RSS', rssBytes: five, ratioToOnce: ratio, goal: '<= 1.2x once', goalMet: ratio <= 1.2 },
  ];
}
