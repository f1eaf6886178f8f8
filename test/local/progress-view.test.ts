/** The live progress table of `npm start` on wide and narrow terminals, and how it redraws. */
import { progressTable, ProgressView } from '../../cli/progress-view';
import type { QueueProgress } from '../../local/progress';

const rows: QueueProgress[] = [
  { queue: 'order', waiting: 3, inFlight: 2, received: 120, processed: 115, retried: 7, deadLettered: 3 },
  { queue: 'notification', waiting: 0, inFlight: 0, received: 115, processed: 115, retried: 0, deadLettered: 0 },
];

function terminal(columns: number) {
  const writes: string[] = [];
  return { writes, out: { columns, write: (text: string) => writes.push(text) } };
}

test('full column titles when they fit, short ones on a narrow terminal', () => {
  expect(progressTable(rows)[0]).toBe('queue         waiting  in flight  received  processed  retried  dead-lettered');
  expect(progressTable(rows, 50)).toEqual(['queue        wait fly recv done retry dlq', 'order           3   2  120  115     7   3', 'notification    0   0  115  115     0   0']);
});

test('on a narrow terminal every drawn line fits, and a redraw erases exactly the rows drawn', () => {
  const { writes, out } = terminal(30);
  const view = new ProgressView(out, true, 0);
  view.update(rows, 'a status line far longer than thirty columns');
  const drawing = writes.pop()!;
  for (const line of drawing.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(29);
  view.log('Ctrl-C: stopping');
  // Up over the 4 lines drawn (3 table rows + status), clear to the end, then the message.
  expect(writes).toEqual(['\r\x1b[4A\x1b[0J', 'Ctrl-C: stopping\n']);
});

test('after the terminal narrows, the previous drawing is counted at the new width', () => {
  const out = { columns: 100, writes: [] as string[], write(text: string) { this.writes.push(text); } };
  const view = new ProgressView(out, true, 0);
  view.update(rows, 'status');
  const widest = Math.max(...out.writes[0]!.trimEnd().split('\n').map((line) => line.length));
  out.columns = Math.ceil(widest / 2);
  out.writes.length = 0;
  view.update(rows, 'status');
  // The table lines now wrap onto two rows each (the status line stays on one): 3 × 2 + 1.
  expect(out.writes[0]).toBe('\r\x1b[7A\x1b[0J');
});

test('without a terminal, one plain line per change', () => {
  const { writes, out } = terminal(80);
  const view = new ProgressView(out, false, Date.now());
  view.update(rows, 'status');
  view.update(rows, 'status');
  expect(writes).toHaveLength(1);
  expect(writes[0]).toMatch(/order: waiting 3, in flight 2, received 120, processed 115, retried 7, dead-lettered 3 \| notification: /);
});
