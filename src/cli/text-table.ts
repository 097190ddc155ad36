/** Plain-text tables for the CLI's `table` format. */

/** Columns padded to their widest cell: the first left-aligned, the others right-aligned. */
export function alignedTable(header: readonly string[], rows: readonly string[][], indent = ''): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] as string).length)));
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
