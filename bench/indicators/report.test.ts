import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderIndicatorReport, type CaseResult, type ReportInput } from './report.js';

function input(cases: CaseResult[]): ReportInput {
  return {
    command: 'node --import tsx/esm bench/indicators/run.ts', bars: 1000, seed: 42, rounds: 3, harnessK: 5, node: 'v20',
    cpu: 'test cpu', talibVersion: '0.6.0', compile: 'gcc -O2', cases, missing: ['KAMA(10)'], failedFiles: [],
  };
}

function rsiCase(ours: number, talib: number, ts: number, stream: number, into?: number): CaseResult {
  return {
    key: 'RSI(14)', agreesWithTalib: true, ourNames: 'rsi / RsiStream',
    cells: new Map([
      ['ours:batch', { ns: ours, rounds: 3 }],
      ...(into === undefined ? [] : [['ours:into', { ns: into, rounds: 3 }] as const]),
      ['ours:stream', { ns: stream, rounds: 3 }],
      ['talib-c:batch', { ns: talib, rounds: 3 }],
      ['trading-signals:stream', { ns: ts, rounds: 3 }],
    ]),
  };
}

test('indicator report - ratios are ours / TA-Lib C (reused buffer, then allocating) and peer / ours allocating', () => {
  const md = renderIndicatorReport(input([rsiCase(10, 8, 200, 20, 9)]));
  assert.match(md, /\| RSI\(14\) \| 1\.13× \| 1\.25× \| 20\.0× \| – \| 10\.0× \| – \|/);
  assert.match(md, /\| RSI\(14\) \| 10\.0 \| 9\.00 \| 20\.0 \| 8\.00 \|/);
});

test('indicator report - without an out figure the reused-buffer columns show a dash', () => {
  const md = renderIndicatorReport(input([rsiCase(10, 8, 200, 20)]));
  assert.match(md, /\| RSI\(14\) \| – \| 1\.25× \| 20\.0× \|/);
  assert.match(md, /\| RSI\(14\) \| 10\.0 \| – \| 20\.0 \|/);
});

test('indicator report - the 1.5× TA-Lib goal is judged on the reused buffer, the allocating ratio still shown', () => {
  const md = renderIndicatorReport(input([rsiCase(20, 8, 200, 20, 11)]));
  assert.match(md, /- \[x\] RSI\(14\) batch within 1\.5× of TA-Lib C: 1\.38× \(reused buffer; allocating 2\.50×\)/);
  const slow = renderIndicatorReport(input([rsiCase(20, 8, 200, 20, 13)]));
  assert.match(slow, /- \[ \] RSI\(14\) batch within 1\.5× of TA-Lib C: 1\.63× \(reused buffer; allocating 2\.50×\)/);
  // trading-signals' best form is its stream, which keeps no column: against our reused-buffer
  // batch (200 / 11), the allocating ratio (200 / 20) printed beside it.
  assert.match(md, /- \[x\] RSI\(14\) ≥ 5× faster than trading-signals: 18\.2× \(its stream, which keeps no column, against our batch into a reused buffer; against our allocating batch 10\.0×\)/);
});

test('indicator report - goals are ticked only when met', () => {
  const met = renderIndicatorReport(input([rsiCase(10, 8, 200, 20)]));
  assert.match(met, /- \[x\] RSI\(14\) batch within 1\.5× of TA-Lib C: 1\.25× \(allocating: no `out` parameter\)/);
  assert.match(met, /- \[x\] RSI\(14\) ≥ 5× faster than trading-signals: 20\.0×/);
  assert.match(met, /- \[x\] streaming RSI update ≤ 25 ns: 20\.0 ns/);
  const missed = renderIndicatorReport(input([rsiCase(16, 8, 40, 30)]));
  assert.match(missed, /- \[ \] RSI\(14\) batch within 1\.5× of TA-Lib C: 2\.00×/);
  assert.match(missed, /- \[ \] RSI\(14\) ≥ 5× faster than trading-signals: 2\.50×/);
  assert.match(missed, /- \[ \] streaming RSI update ≤ 25 ns: 30\.0 ns/);
});

test('indicator report - names the exact command and the indicators not written yet', () => {
  const md = renderIndicatorReport(input([rsiCase(10, 8, 200, 20)]));
  assert.ok(md.includes('Run: `node --import tsx/esm bench/indicators/run.ts`'));
  assert.ok(md.includes('Not yet in src/indicators/ (no row data for ours): KAMA(10).'));
});

test('indicator report - streaming is also judged against the peer stream (trading-signals only streams)', () => {
  // ours stream 20 vs trading-signals stream 200 (10×), then 30 vs 25 (slower: not met).
  assert.match(renderIndicatorReport(input([rsiCase(10, 8, 200, 20)])), /- \[x\] RSI\(14\) stream faster than trading-signals stream: 10\.0×/);
  assert.match(renderIndicatorReport(input([rsiCase(10, 8, 25, 30)])), /- \[ \] RSI\(14\) stream faster than trading-signals stream: 0\.83×/);
});

test('indicator report - says every cell is the fastest run', () => {
  assert.match(renderIndicatorReport(input([rsiCase(10, 8, 200, 20)])), /Each cell is the fastest run/);
});

function peerCase(key: string): CaseResult {
  return {
    key, agreesWithTalib: undefined, ourNames: '',
    cells: new Map([['ours:batch', { ns: 10, rounds: 3 }], ['technicalindicators:batch', { ns: 100, rounds: 3 }]]),
  };
}

test('indicator report - session VWAP row says the peers never reset, so outputs differ after the first day', () => {
  const md = renderIndicatorReport(input([peerCase('VWAP (session)')]));
  assert.match(md, /VWAP \(session\): ours resets at every UTC day .* accumulate from the first bar and never reset, .*timings, not equal outputs\./);
});

test('indicator report - candlestick rows say technicalindicators is timed as a per-bar scan with slicing, k from its own rules', () => {
  const md = renderIndicatorReport(input([peerCase('CDLHAMMER'), peerCase('CDLENGULFING'), peerCase('CDLMORNINGSTAR(0.3)')]));
  assert.match(md, /CDLHAMMER: technicalindicators has no scan: its column is one call per bar on the last 5 candles sliced from the columns \(the slicing is part of its time\)/);
  assert.match(md, /CDLENGULFING: .*last 2 candles.*`bullishengulfingpattern`, then `bearishengulfingpattern` on the same window/);
  assert.match(md, /CDLMORNINGSTAR\(0\.3\): .*last 3 candles/);
});

test('indicator report - floors measured with a case are printed beside ours and trading-signals', () => {
  const r = rsiCase(10, 8, 200, 20);
  r.floors = { bare: 'the bare step', other: 'another step' };
  r.cells.set('floor-bare:stream', { ns: 4.5, rounds: 3 });
  const md = renderIndicatorReport(input([r]));
  // Only measured floors are listed; the unmeasured one is left out rather than shown as a dash.
  assert.match(md, /RSI\(14\) floors on this run \(ns\/update, each a class of its own [^)]*\): the bare step: 4\.50; against ours 20\.0 and trading-signals 200\./);
  assert.doesNotMatch(md, /another step/);
  assert.doesNotMatch(renderIndicatorReport(input([rsiCase(10, 8, 200, 20)])), /floors on this run/);
});

test('indicator report - a peer batch is compared with our allocating batch, a peer stream with our reused-buffer batch', () => {
  const r = rsiCase(20, 8, 100, 20, 10);
  r.cells.set('technicalindicators:batch', { ns: 60, rounds: 3 });
  const md = renderIndicatorReport(input([r]));
  // technicalindicators' batch allocates its output: 60 / 20 = 3.00×, short of 5×, with no reused-buffer figure.
  assert.match(md, /- \[ \] RSI\(14\) ≥ 5× faster than technicalindicators: 3\.00×\n/);
  // trading-signals streams: 100 / 10 = 10.0× met, while 100 / 20 = 5.00× is still shown.
  assert.match(md, /- \[x\] RSI\(14\) ≥ 5× faster than trading-signals: 10\.0× \(its stream, [^)]*; against our allocating batch 5\.00×\)/);
  // Without an `out` figure the stream is compared with the allocating batch, and says nothing more.
  const noOut = renderIndicatorReport(input([rsiCase(20, 8, 100, 20)]));
  assert.match(noOut, /- \[x\] RSI\(14\) ≥ 5× faster than trading-signals: 5\.00×\n/);
});

test('indicator report - TD Sequential against TDS is a figure; the goal is judged on the TD Setup row', () => {
  const td = (key: string, ours: number, peer: number): CaseResult => ({
    key, agreesWithTalib: undefined, ourNames: '',
    cells: new Map([['ours:batch', { ns: ours, rounds: 3 }], ['ours:stream', { ns: ours, rounds: 3 }], ['trading-signals:stream', { ns: peer, rounds: 3 }]]),
  });
  const md = renderIndicatorReport(input([td('TD Sequential', 30, 20), td('TD Setup', 5, 20)]));
  assert.match(md, /- \(figure only, the goal is on the TD Setup row\) TD Sequential stream faster than trading-signals stream: 0\.67×/);
  assert.doesNotMatch(md, /\[ \] TD Sequential/);
  assert.match(md, /- \[x\] TD Setup stream faster than trading-signals stream: 4\.00×/);
  assert.match(md, /TD Setup: trading-signals `TDS` counts the setup from closes/);
});
