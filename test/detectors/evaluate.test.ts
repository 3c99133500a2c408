import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.js';
import { DETECTOR_KINDS } from '../../src/detectors/detector-set.js';
import { DETECTOR_SCENARIOS, evaluateDetectors, evidenceMs, labelDetector, matchAlerts, parseSeeds, runSession } from '../../src/detectors/evaluate.js';
import { SCENARIO_KINDS } from '../../src/sim/scenarios.js';

describe('labelDetector and DETECTOR_SCENARIOS', () => {
  it('map every injected scenario to one detector, corrupt data split by issue', () => {
    for (const kind of SCENARIO_KINDS) {
      if (kind === 'normal') expect(labelDetector({ kind })).toBeNull();
      else if (kind !== 'corrupt-data') expect(DETECTOR_SCENARIOS[labelDetector({ kind })!]).toBe(kind);
    }
    expect(labelDetector({ kind: 'corrupt-data', issue: 'crossed' })).toBe('crossedMarket');
    expect(labelDetector({ kind: 'corrupt-data', issue: 'nan' })).toBe('badData');
    expect(labelDetector({ kind: 'corrupt-data', issue: 'time-backwards' })).toBe('badData');
    expect(Object.keys(DETECTOR_SCENARIOS)).toEqual([...DETECTOR_KINDS]);
  });
});

describe('matchAlerts', () => {
  it('matches an alert to a label when startMs <= ts <= endMs + graceMs', () => {
    const labels = [
      { startMs: 1000, endMs: 2000 },
      { startMs: 10_000, endMs: 10_000 },
      { startMs: 50_000, endMs: 51_000 },
    ];
    const a = (ts: number) => ({ kind: 'x', ts });
    // 999: before the first; 1500, 6999: the first (6999 = 2000 + 4999); 7001: after its grace;
    // 12_000: the second; 50_000 and 50_500: the third
    const r = matchAlerts([a(999), a(1500), a(6999), a(7001), a(12_000), a(50_500), a(50_000)], labels, 5000);
    expect(r).toEqual({ labels: 3, detected: 3, alerts: 7, matched: 5, delays: [500, 2000, 0], evidenceDelays: [] });
    expect(matchAlerts([], labels, 5000)).toEqual({ labels: 3, detected: 0, alerts: 0, matched: 0, delays: [], evidenceDelays: [] });
    expect(matchAlerts([a(7000)], labels, 5000).matched).toBe(1); // the grace bound is inclusive
  });
});

describe('evidenceMs and the delay from evidence', () => {
  const trail = {
    added: new Map([[1, 100], [2, 900], [3, 1500]]),
    pulled: new Map([[1, 1700], [2, 1200]]),
    traded: new Map([
      [7, { ts: 400, side: 1 }],
      [8, { ts: 9000, side: -1 }],
    ]),
  };
  const label = (kind: string, side: -1 | 0 | 1, orderIds: number[]) => ({ kind, startMs: 100, endMs: 10_000, side, orderIds }) as Parameters<typeof evidenceMs>[0];
  it('is the first cancellation (spoofing, layering), the first reversing print (momentum ignition), the second refill (iceberg)', () => {
    expect(evidenceMs(label('spoofing', 1, [1, 2]), trail)).toBe(1200);
    expect(evidenceMs(label('layering', -1, [1]), trail)).toBe(1700);
    expect(evidenceMs(label('momentum-ignition', 1, [7, 8]), trail)).toBe(9000); // 7 is the ignition's own direction
    expect(evidenceMs(label('iceberg', 1, [1, 2, 3]), trail)).toBe(1500);
    expect(evidenceMs(label('flash-crash', -1, [7]), trail)).toBe(100); // visible from its start
    expect(evidenceMs(label('spoofing', 1, [99]), trail)).toBe(100); // never cancelled: the start
  });
  it('gives matchAlerts a second delay per detected label', () => {
    const r = matchAlerts([{ kind: 'x', ts: 1500 }], [{ startMs: 1000, endMs: 2000 }, { startMs: 50_000, endMs: 51_000 }], 5000, [1400, 50_500]);
    expect(r.delays).toEqual([500]);
    expect(r.evidenceDelays).toEqual([100]);
  });
  it('is reported per detector (spoofing: after the first cancellation, sooner than from the label start)', () => {
    const r = evaluateDetectors({ seeds: [1], scenarios: ['spoofing'], durationMs: 400_000 });
    const spoof = r.detectors.find((d) => d.kind === 'spoofing')!;
    expect(spoof.detected).toBeGreaterThan(0);
    expect(spoof.evidenceDelayP50Ms).toBeLessThan(spoof.delayP50Ms);
    const flash = r.detectors.find((d) => d.kind === 'flashCrash')!;
    expect(Number.isNaN(flash.evidenceDelayP50Ms)).toBe(true); // no flash-crash session: no delays
  });
});

describe('parseSeeds', () => {
  it('reads ranges and lists', () => {
    expect(parseSeeds('1-5')).toEqual([1, 2, 3, 4, 5]);
    expect(parseSeeds('3')).toEqual([3]);
    expect(parseSeeds('1,4,7-9')).toEqual([1, 4, 7, 8, 9]);
    expect(() => parseSeeds('5-1')).toThrow(InvalidOptionError);
    expect(() => parseSeeds('a')).toThrow(InvalidOptionError);
  });
});

describe('evaluateDetectors', () => {
  it('scores each detector on its own scenario as matchAlerts does on the same sessions', () => {
    const r = evaluateDetectors({ seeds: [11, 12], scenarios: ['normal', 'flash-crash', 'corrupt-data'], durationMs: 240_000, normalDurationMs: 240_000 });
    expect(r.seeds).toEqual([11, 12]);
    expect(r.hours).toEqual({ normal: 240_000 / 3_600_000 * 2, 'flash-crash': 240_000 / 3_600_000 * 2, 'corrupt-data': 240_000 / 3_600_000 * 2 });
    // the oracle: the same sessions, matched by the rule above
    let labels = 0;
    let detected = 0;
    let alerts = 0;
    let matched = 0;
    for (const seed of [11, 12]) {
      const s = runSession('corrupt-data', seed, 240_000);
      const m = matchAlerts(s.alerts.filter((a) => a.kind === 'badData'), s.labels.filter((l) => labelDetector(l) === 'badData'), 5000);
      labels += m.labels;
      detected += m.detected;
      alerts += m.alerts;
      matched += m.matched;
    }
    const bad = r.detectors.find((d) => d.kind === 'badData')!;
    expect(bad).toMatchObject({ scenario: 'corrupt-data', labels, detected, alerts, matched, precision: matched / alerts, recall: detected / labels });
    expect(bad.labels).toBeGreaterThan(0);
    const flash = r.detectors.find((d) => d.kind === 'flashCrash')!;
    expect(flash.labels).toBe(2);
    expect(flash.delayP50Ms).toBeLessThanOrEqual(flash.delayP99Ms);
    // detectors whose scenario did not run: no labels, rates undefined, not silent
    const spoof = r.detectors.find((d) => d.kind === 'spoofing')!;
    expect(spoof).toMatchObject({ labels: 0, alerts: 0, silent: false });
    expect(spoof.precision).toBeNaN();
    expect(spoof.baseRate).toBeNaN();
    // false alarms per hour: alerts of the normal sessions over their hours
    for (const d of r.detectors) expect(d.falseAlarmsPerHour).toBe(d.normalAlerts / r.hours.normal!);
    expect(r.falseAlarmsPerHour).toBe(r.detectors.reduce((s, d) => s + d.normalAlerts, 0) / r.hours.normal!);
    expect(Object.keys(r.alertsPerHour)).toEqual(['normal', 'flash-crash', 'corrupt-data']);
  });

  it('reports a detector that raises nothing on its own scenario as silent', () => {
    const r = evaluateDetectors({ seeds: [1], scenarios: ['flash-crash'], durationMs: 240_000, detectors: { flashCrash: { minMoveBps: 5000, criticalMoveBps: 5000 } } });
    expect(r.silent).toEqual(['flashCrash']);
    expect(r.detectors.find((d) => d.kind === 'flashCrash')).toMatchObject({ labels: 1, detected: 0, silent: true });
    expect(r.falseAlarmsPerHour).toBeNaN(); // no normal session
  });

  it('leaves out detectors set to false and reports progress', () => {
    const seen: string[] = [];
    const r = evaluateDetectors({
      seeds: [1, 2],
      scenarios: ['normal'],
      normalDurationMs: 60_000,
      detectors: { iceberg: false, rapidTrading: false },
      onProgress: (done, total, scenario, seed) => seen.push(`${done}/${total} ${scenario} ${seed}`),
    });
    expect(r.detectors.map((d) => d.kind)).not.toContain('iceberg');
    expect(r.detectors).toHaveLength(12);
    expect(seen).toEqual(['1/2 normal 1', '2/2 normal 2']);
  });

  it('validates its options', () => {
    expect(() => evaluateDetectors({ seeds: [] })).toThrow(InvalidOptionError);
    expect(() => evaluateDetectors({ seeds: [1.5] })).toThrow(InvalidOptionError);
    expect(() => evaluateDetectors({ scenarios: ['nope' as never] })).toThrow(InvalidOptionError);
    expect(() => evaluateDetectors({ durationMs: 0 })).toThrow(InvalidOptionError);
    expect(() => evaluateDetectors({ nope: 1 } as never)).toThrow(InvalidOptionError);
  });
});
