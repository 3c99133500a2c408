import { describe, expect, it } from 'vitest';
import { EXIT_SILENT_DETECTOR, formatEvaluation, parseDuration, parseEvaluateArgs, runEvaluate, UsageError } from '../../src/cli/evaluate.js';
import { DETECTOR_KINDS } from '../../src/detectors/detector-set.js';

describe('evaluate flags', () => {
  it('parses seeds, scenarios, durations and the grace', () => {
    expect(parseEvaluateArgs(['--seeds', '11-13', '--scenarios', 'normal,spoofing', '--duration', '5m', '--normal-duration', '1h', '--grace-ms', '2000', '--json'])).toEqual({
      options: { seeds: [11, 12, 13], scenarios: ['normal', 'spoofing'], durationMs: 300_000, normalDurationMs: 3_600_000, graceMs: 2000 },
      json: true,
    });
    expect(parseEvaluateArgs([])).toEqual({ options: {}, json: false });
  });

  it('reads durations in ms, s, m and h', () => {
    expect(parseDuration('1500', '--duration')).toBe(1500);
    expect(parseDuration('1500ms', '--duration')).toBe(1500);
    expect(parseDuration('90s', '--duration')).toBe(90_000);
    expect(parseDuration('20m', '--duration')).toBe(1_200_000);
    expect(parseDuration('1.5h', '--duration')).toBe(5_400_000);
    expect(() => parseDuration('soon', '--duration')).toThrow(UsageError);
    expect(() => parseDuration('0s', '--duration')).toThrow(UsageError);
  });

  it('answers a bad flag with exit code 2 and the reason', () => {
    for (const argv of [['--seeds', 'x'], ['--scenarios', 'nope'], ['--scenarios', ','], ['--grace-ms', '-1'], ['--duration', 'x'], ['--nope']]) {
      const r = runEvaluate(argv);
      expect(r.exitCode).toBe(2);
      expect(r.output).toMatch(/^microstructure evaluate: /);
      expect(r.report).toBeUndefined();
    }
  });
});

describe('runEvaluate', () => {
  it('prints a table with every detector and exits 0 when none is silent', () => {
    const r = runEvaluate(['--seeds', '11', '--scenarios', 'normal,corrupt-data', '--duration', '3m', '--normal-duration', '3m']);
    expect(r.exitCode).toBe(0);
    const lines = r.output.split('\n');
    expect(lines[0]).toBe('microstructure evaluate: seeds 11; sessions of 3 min (normal 3 min); an alert matches a label of its kind when startMs <= ts <= endMs + 5000 ms');
    expect(lines[2]).toMatch(/^detector\s+scenario\s+labels\s+alerts\s+precision\s+recall\s+F1\s+base rate\s+delay p50 ms\s+delay p99 ms\s+evidence p50 ms\s+false\/h normal$/);
    for (const kind of DETECTOR_KINDS) expect(r.output).toMatch(new RegExp(`^${kind}\\s`, 'm'));
    const bad = r.report!.detectors.find((d) => d.kind === 'badData')!;
    expect(bad.labels).toBeGreaterThan(0);
    expect(r.output).toMatch(new RegExp(`^badData\\s+corrupt-data\\s+${bad.labels}\\s+${bad.alerts}\\s+${bad.precision.toFixed(2)}\\s`, 'm'));
    expect(r.output).toContain('all detectors together on the normal scenario: ');
    expect(formatEvaluation(r.report!)).toBe(r.output);
  });

  it('prints JSON with --json (NaN as null)', () => {
    const r = runEvaluate(['--seeds', '11', '--scenarios', 'corrupt-data', '--duration', '2m', '--json']);
    const json = JSON.parse(r.output);
    expect(json.seeds).toEqual([11]);
    expect(json.detectors.find((d: { kind: string }) => d.kind === 'spoofing').precision).toBeNull();
    expect(json.falseAlarmsPerHour).toBeNull();
  });

  it('exits non-zero when a detector raises nothing on its own scenario', () => {
    // the first ignition starts at 105 s; its unwind (the reversal the detector waits for) comes later than 110 s
    const r = runEvaluate(['--seeds', '1', '--scenarios', 'momentum-ignition', '--duration', '110s']);
    expect(r.report?.silent).toEqual(['momentumIgnition']);
    expect(r.exitCode).toBe(EXIT_SILENT_DETECTOR);
    expect(r.output).toContain('SILENT on their own scenario: momentumIgnition');
    expect(r.output.split('\n')[0]).toContain('sessions of 110 s (normal 30 min)');
  });
});
