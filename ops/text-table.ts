/**
 * Aligned text tables for the human output of `npm run ops`: a header, a rule, one line per row;
 * the first column left-aligned, the others right-aligned unless listed as text columns.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], textColumns: ReadonlySet<number> = new Set([0])): string[] {
  const cells = [headers, ...rows];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => (textColumns.has(column) ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)];
}
