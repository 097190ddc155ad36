/**
 * The `table` format written chunk by chunk. A stream cannot scan a whole column before its first
 * line, so each column's number of decimals is fixed up front (prices from the symbol's tick size,
 * volume from its step size) or, when not given, from the first chunk that has a value in that
 * column; widths are taken from the first chunk and only ever grow. A later value that needs more
 * decimals than its column was given is printed exactly anyway (7212.125 under 7212.50): a digit
 * is never rounded away to keep the column straight.
 */

/**
 * A stored number exactly, with at least `decimals` decimals: its shortest round-trip form
 * (0.000000123 rather than 1.23e-7) padded with zeros as text, so no digit changes.
 */
export function exactCell(v: number, decimals: number): string {
  const s = plainDecimal(String(v));
  const d = decimalsOf(s);
  if (d < 0 || d >= decimals) return s;
  return `${s}${d === 0 ? '.' : ''}${'0'.repeat(decimals - d)}`;
}

/** A cell already rounded for display (a computed value), padded with zeros to `decimals`. */
export function padDecimals(s: string, decimals: number): string {
  const d = decimalsOf(s);
  if (d < 0 || d >= decimals) return s;
  return `${s}${d === 0 ? '.' : ''}${'0'.repeat(decimals - d)}`;
}

/** Decimals of a plain decimal cell (-12.5 has 1, 7191 has 0); -1 for any other cell ('', 1e21, Infinity). */
export function decimalsOf(s: string): number {
  if (!/^-?\d+(\.\d+)?$/.test(s)) return -1;
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** `1.23e-7` → `0.000000123`, digit for digit; other text unchanged. */
function plainDecimal(s: string): string {
  const m = /^(-?)(\d)(?:\.(\d+))?e-(\d+)$/.exec(s);
  if (m === null) return s;
  const [, sign = '', lead = '', frac = '', exp = '0'] = m;
  return `${sign}0.${'0'.repeat(Number(exp) - 1)}${lead}${frac}`;
}

/**
 * Column decimals fixed on first sight: a column given a number up front keeps it; the others take
 * the most decimals among the first batch of cells that has any plain decimal in that column.
 */
export class ColumnDecimals {
  private readonly decided: Array<number | undefined>;

  constructor(fixed: ReadonlyArray<number | undefined>) {
    this.decided = [...fixed];
  }

  /** The decimals of column `j`, deciding them from `cells` (that column's cells of this batch) if still open. */
  of(j: number, cells: () => Iterable<string>): number | undefined {
    const known = this.decided[j];
    if (known !== undefined) return known;
    let most = -1;
    for (const s of cells()) {
      const d = decimalsOf(s);
      if (d > most) most = d;
    }
    if (most >= 0) this.decided[j] = most;
    return this.decided[j];
  }
}

/** Right-aligned columns after a left-aligned first one, two spaces apart, widths that only grow. */
export class StreamedTable {
  private readonly widths: number[];
  private started = false;
  /** Rows written by `chunk` so far, and how many of them were marked not complete. */
  count = 0;
  marked = 0;

  constructor(private readonly header: readonly string[]) {
    this.widths = header.map((h) => h.length);
  }

  /**
   * One chunk of bars: the header before the first chunk, then a line per row, a row whose
   * `complete` entry is not 1 followed by `  *`.
   */
  chunk(rows: readonly string[][], complete: ArrayLike<number>): string {
    const marks = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      marks[i] = complete[i] === 1 ? '' : '  *';
      if (complete[i] !== 1) this.marked++;
    }
    this.count += rows.length;
    return this.headerOnce(rows) + this.lines(rows, marks);
  }

  /** The header line with its newline the first time, '' after that (so an empty table still has one). */
  headerOnce(rows: readonly string[][] = []): string {
    if (this.started) return '';
    this.started = true;
    return `${this.headerLine(rows)}\n`;
  }

  /** The header line, padded to widths grown by `rows` (the first chunk's). */
  headerLine(rows: readonly string[][]): string {
    this.grow(rows);
    return this.line(this.header);
  }

  /** The rows' lines, each followed by its `marks` entry (e.g. ' *'), each ending in a newline. */
  lines(rows: readonly string[][], marks?: readonly string[]): string {
    this.grow(rows);
    let out = '';
    for (let i = 0; i < rows.length; i++) out += `${this.line(rows[i] as string[])}${marks?.[i] ?? ''}\n`;
    return out;
  }

  private grow(rows: readonly string[][]): void {
    const w = this.widths;
    for (const r of rows) {
      for (let j = 0; j < w.length; j++) {
        const n = (r[j] as string).length;
        if (n > (w[j] as number)) w[j] = n;
      }
    }
  }

  private line(cells: readonly string[]): string {
    const w = this.widths;
    let s = (cells[0] as string).padEnd(w[0] as number);
    for (let j = 1; j < w.length; j++) s += `  ${(cells[j] as string).padStart(w[j] as number)}`;
    return s;
  }
}
