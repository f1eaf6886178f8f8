/**
 * Live progress of `npm start`: on a terminal, a small table redrawn in place; otherwise (piped,
 * CI=true) one plain line per refresh, printed only when something changed.
 *
 * Redrawing in place is cursor-up + clear-to-end over exactly the rows the last drawing took, so
 * every drawn line is cut to the terminal's width (a wrapped line would take rows the next redraw
 * does not know about), a narrow terminal gets short column titles, and after a resize the rows of
 * the previous drawing are counted at the new width. Messages (warnings, Ctrl-C) go through
 * {@link ProgressView.log}, above the table, never into the middle of it.
 */
import type { QueueProgress } from '../local/progress';

export interface Output {
  write(text: string): unknown;
  /** Terminal width, when the output is one. */
  readonly columns?: number;
}

type Column = readonly [keyof QueueProgress, string, string];

/** Key, full title, short title (for narrow terminals). */
const COLUMNS: readonly Column[] = [
  ['queue', 'queue', 'queue'],
  ['waiting', 'waiting', 'wait'],
  ['inFlight', 'in flight', 'fly'],
  ['received', 'received', 'recv'],
  ['processed', 'processed', 'done'],
  ['retried', 'retried', 'retry'],
  ['deadLettered', 'dead-lettered', 'dlq'],
];

/** The table as lines: a header and one aligned row per queue; short titles when `width` is small. */
export function progressTable(rows: readonly QueueProgress[], width = Infinity): string[] {
  const render = (titleIndex: 1 | 2, gap: string) => {
    const cells = [COLUMNS.map((column) => column[titleIndex]), ...rows.map((row) => COLUMNS.map(([key]) => String(row[key])))];
    const widths = COLUMNS.map((_, column) => Math.max(...cells.map((line) => line[column]!.length)));
    return cells.map((line) => line.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(gap));
  };
  const full = render(1, '  ');
  if (full.every((line) => line.length <= width)) return full;
  return render(2, ' ');
}

/** One line for logs: `order: waiting 0, in flight 2, received 20, processed 18, retried 1, dead-lettered 0 | …`. */
export function progressLine(rows: readonly QueueProgress[]): string {
  return rows
    .map((row) => `${row.queue}: waiting ${row.waiting}, in flight ${row.inFlight}, received ${row.received}, processed ${row.processed}, retried ${row.retried}, dead-lettered ${row.deadLettered}`)
    .join(' | ');
}

export class ProgressView {
  /** Lengths of the lines of the drawing on screen (to count its rows at the current width). */
  private drawn: number[] = [];
  private lastLine = '';

  constructor(
    private readonly out: Output,
    /** Redraw in place (a terminal) or print plain lines. */
    private readonly interactive: boolean,
    private readonly started = Date.now(),
  ) {}

  /** @param health a line under the table (the health summary); printed with each changed plain line */
  update(rows: readonly QueueProgress[], status: string, health?: string): void {
    if (this.interactive) {
      this.clear();
      // One column spare: writing into the last column makes some terminals wrap early.
      const width = Math.max(10, (this.out.columns ?? 80) - 1);
      const lines = [...progressTable(rows, width), ...(health ? [health] : []), status].map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line));
      this.out.write(lines.join('\n') + '\n');
      this.drawn = lines.map((line) => line.length);
      return;
    }
    const line = progressLine(rows);
    if (line === this.lastLine) return;
    this.lastLine = line;
    const stamp = `[${((Date.now() - this.started) / 1000).toFixed(1).padStart(6)} s]`;
    this.out.write(`${stamp} ${line}\n${health ? `${' '.repeat(stamp.length)} ${health}\n` : ''}`);
  }

  /** Prints a message above the live table (the table is redrawn on the next update). */
  log(message: string): void {
    this.clear();
    this.out.write(message + '\n');
  }

  /** Leaves the last drawing on screen; later output goes below it. */
  finish(): void {
    this.drawn = [];
  }

  private clear(): void {
    if (this.drawn.length === 0) return;
    const columns = Math.max(1, this.out.columns ?? 80);
    const rows = this.drawn.reduce((sum, length) => sum + Math.max(1, Math.ceil(length / columns)), 0);
    // Column 1, up over the drawing, clear to the end of the screen (also whatever was echoed
    // below it, such as ^C).
    this.out.write(`\r\x1b[${rows}A\x1b[0J`);
    this.drawn = [];
  }
}
