import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderIndicatorReport, type CaseResult, type ReportInput } from './report.js';

function input(cases: CaseResult[]): ReportInput {
  return {
    command: 'node --import tsx bench/indicators/run.ts', bars: 1000, seed: 42, rounds: 3, harnessK: 5, node: 'v20',
    cpu: 'test cpu', talibVersion: '0.6.0', compile: 'gcc -O2', cases, missing: ['KAMA(10)'], failedFiles: [],
  };
}

function rsiCase(ours: number, talib: number, ts: number, stream: number): CaseResult {
  return {
    key: 'RSI(14)', agreesWithTalib: true, ourNames: 'rsi / RsiStream',
    cells: new Map([
      ['ours:batch', { ns: ours, rounds: 3 }],
      ['ours:stream', { ns: stream, rounds: 3 }],
      ['talib-c:batch', { ns: talib, rounds: 3 }],
      ['trading-signals:stream', { ns: ts, rounds: 3 }],
    ]),
  };
}

test('indicator report - ratios are ours / TA-Lib C and peer / ours', () => {
  const md = renderIndicatorReport(input([rsiCase(10, 8, 200, 20)]));
  assert.match(md, /\| RSI\(14\) \| 1\.25× \| 20\.0× \| – \| 10\.0× \| – \|/);
});

test('indicator report - goals are ticked only when met', () => {
  const met = renderIndicatorReport(input([rsiCase(10, 8, 200, 20)]));
  assert.match(met, /- \[x\] RSI\(14\) batch within 1\.5× of TA-Lib C: 1\.25×/);
  assert.match(met, /- \[x\] RSI\(14\) ≥ 5× faster than trading-signals: 20\.0×/);
  assert.match(met, /- \[x\] streaming RSI update ≤ 25 ns: 20\.0 ns/);
  const missed = renderIndicatorReport(input([rsiCase(16, 8, 40, 30)]));
  assert.match(missed, /- \[ \] RSI\(14\) batch within 1\.5× of TA-Lib C: 2\.00×/);
  assert.match(missed, /- \[ \] RSI\(14\) ≥ 5× faster than trading-signals: 2\.50×/);
  assert.match(missed, /- \[ \] streaming RSI update ≤ 25 ns: 30\.0 ns/);
});

test('indicator report - names the exact command and the indicators not written yet', () => {
  const md = renderIndicatorReport(input([rsiCase(10, 8, 200, 20)]));
  assert.ok(md.includes('Run: `node --import tsx bench/indicators/run.ts`'));
  assert.ok(md.includes('Not yet in src/indicators/ (no row data for ours): KAMA(10).'));
});
