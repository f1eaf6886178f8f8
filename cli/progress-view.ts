/**
 * Live progress of `npm start`: on a terminal, a small table redrawn in place; otherwise (piped,
 * CI=true) one plain line per refresh, printed only when something changed.
 */
import type { QueueProgress } from '../local/progress';

export interface Output {
  write(text: string): unknown;
}

const COLUMNS: readonly [keyof QueueProgress, string][] = [
  ['queue', 'queue'],
  ['sent', 'sent'],
  ['waiting', 'waiting'],
  ['inFlight', 'in flight'],
  ['processed', 'processed'],
  ['retried', 'retried'],
  ['deadLettered', 'dead-lettered'],
];

/** The table as lines: a header and one aligned row per queue. */
export function progressTable(rows: readonly QueueProgress[]): string[] {
  const cells = [COLUMNS.map(([, title]) => title), ...rows.map((row) => COLUMNS.map(([key]) => String(row[key])))];
  const widths = COLUMNS.map((_, column) => Math.max(...cells.map((line) => line[column]!.length)));
  return cells.map((line) => line.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));
}

/** One line for logs: `order: sent 20, waiting 0, in flight 2, processed 18, retried 1, dead-lettered 0 | …`. */
export function progressLine(rows: readonly QueueProgress[]): string {
  return rows
    .map((row) => `${row.queue}: sent ${row.sent}, waiting ${row.waiting}, in flight ${row.inFlight}, processed ${row.processed}, retried ${row.retried}, dead-lettered ${row.deadLettered}`)
    .join(' | ');
}

export class ProgressView {
  private drawnLines = 0;
  private lastLine = '';

  constructor(
    private readonly out: Output,
    /** Redraw in place (a terminal) or print plain lines. */
    private readonly interactive: boolean,
    private readonly started = Date.now(),
  ) {}

  update(rows: readonly QueueProgress[], status: string): void {
    if (this.interactive) {
      this.clear();
      const lines = [...progressTable(rows), status];
      this.out.write(lines.join('\n') + '\n');
      this.drawnLines = lines.length;
      return;
    }
    const line = progressLine(rows);
    if (line === this.lastLine) return;
    this.lastLine = line;
    this.out.write(`[${((Date.now() - this.started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
  }

  /** Prints a message above the live table (the table is redrawn on the next update). */
  log(message: string): void {
    this.clear();
    this.out.write(message + '\n');
  }

  /** Leaves the last drawing on screen; later output goes below it. */
  finish(): void {
    this.drawnLines = 0;
  }

  private clear(): void {
    if (this.drawnLines > 0) this.out.write(`\x1b[${this.drawnLines}A\x1b[0J`);
    this.drawnLines = 0;
  }
}
