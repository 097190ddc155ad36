/** Plain-text tables for the CLI's `table` format. */

/** Columns padded to their widest cell: the first left-aligned, the others right-aligned. */
export function alignedTable(header: readonly string[], rows: readonly string[][], indent = ''): string {
  // A loop, not Math.max(h.length, ...rows.map(…)): spreading 125,000+ rows overflows the call stack.
  const widths = header.map((h) => h.length);
  for (const r of rows) {
    for (let j = 0; j < widths.length; j++) {
      const w = (r[j] as string).length;
      if (w > (widths[j] as number)) widths[j] = w;
    }
  }
  const line = (cells: readonly string[]): string => indent + cells.map((x, j) => (j === 0 ? x.padEnd(widths[j] as number) : x.padStart(widths[j] as number))).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** `2020-01-02 03:00`: a UTC time to the minute. */
export function isoMinute(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
}

/**
 * A computed value: '' for NaN, integers as they are, others with 4 decimals, or more below 0.1
 * so that at least 4 significant digits show (an SMA of 0.0007123 on a low-priced coin, not 0.0007).
 */
export function valueCell(v: number): string {
  if (Number.isNaN(v)) return '';
  if (Number.isInteger(v)) return String(v);
  const magnitude = Math.floor(Math.log10(Math.abs(v)));
  return v.toFixed(Math.min(20, Math.max(4, 3 - magnitude)));
}

/**
 * One number of decimals down a column, so a column of prices reads 7212.50 over 7191.00 rather
 * than 7212.5 over 7191: each plain decimal cell is padded with zeros (as text, so no digit
 * changes) to the most decimals any cell in the column has. Empty cells, exponent forms (1e-7)
 * and Infinity stay as they are; a column of integers stays integers.
 */
export function decimalsAligned(cells: readonly string[]): string[] {
  const decimals = cells.map(decimalsOf);
  // A loop, not Math.max(...decimals): a table of a year of 1m candles is 525,600 cells.
  let most = 0;
  for (const d of decimals) if (d > most) most = d;
  if (most === 0) return [...cells];
  return cells.map((s, j) => {
    const d = decimals[j] as number;
    return d < 0 ? s : `${s}${d === 0 ? '.' : ''}${'0'.repeat(most - d)}`;
  });
}

/** Decimals of a plain decimal cell (-12.5 has 1, 7191 has 0); -1 for any other cell. */
function decimalsOf(s: string): number {
  if (!/^-?\d+(\.\d+)?$/.test(s)) return -1;
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** Stored numbers (prices, volumes) exactly, in their shortest form, with the column's decimals. */
export function exactColumn(values: readonly number[]): string[] {
  return decimalsAligned(values.map(String));
}

/** Computed values rounded as {@link valueCell} rounds them, trailing zeros dropped, with the column's decimals. */
export function valueColumn(values: readonly number[]): string[] {
  return decimalsAligned(values.map((v) => valueCell(v).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')));
}
