/**
 * A picture of an environment's dashboard, drawn from the model's dashboard node (the body both
 * renderers deploy): each widget at its place on CloudWatch's 24-column grid, with its title and
 * the lines it plots, so a reader sees the layout without an AWS account.
 *
 * `npm run dashboard-picture` writes docs/dashboard-<environment>.svg; a test fails when the
 * committed picture is stale.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildGraph, type DashboardNode, type DashboardWidget, type EnvironmentGraph } from '../model';
import { environments } from '../stacks/environments';
import { topology } from '../stacks/topology';

/** Pixels per grid column and per grid row (CloudWatch draws a row about as tall as a column is wide). */
const COLUMN = 44;
const ROW = 30;
const GAP = 4;
const FONT = 'font-family="Helvetica, Arial, sans-serif"';

/** The environment the README shows. */
export const PICTURED_ENVIRONMENT = 'production';

export function pictureFile(environment: string): string {
  return path.join(__dirname, `dashboard-${environment}.svg`);
}

export function dashboardPicture(graph: EnvironmentGraph): string {
  const node = graph.nodes.find((candidate): candidate is DashboardNode => 'properties' in candidate && candidate.type === 'cloudwatch:dashboard');
  if (!node) throw new Error(`${graph.environment} has no dashboard (is it turned off in its profile?)`);
  const widgets = node.properties.DashboardBody.widgets;
  const rows = Math.max(...widgets.map((widget) => widget.y + widget.height));
  const width = 24 * COLUMN;
  const height = rows * ROW + 40;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#f2f3f3"/>`,
    `<text x="8" y="24" ${FONT} font-size="16" font-weight="bold" fill="#16191f">${escape(node.properties.DashboardName)} — generated from the model (${widgets.length} widgets)</text>`,
    ...widgets.map((widget) => drawWidget(widget, 40)),
    '</svg>',
  ];
  return parts.join('\n') + '\n';
}

function drawWidget(widget: DashboardWidget, top: number): string {
  const x = widget.x * COLUMN + GAP / 2;
  const y = top + widget.y * ROW + GAP / 2;
  const w = widget.width * COLUMN - GAP;
  const h = widget.height * ROW - GAP;
  const properties = widget.properties as Record<string, unknown>;
  if (widget.type === 'text') {
    const markdown = String(properties.markdown);
    const level = /^#+/.exec(markdown)?.[0].length ?? 0;
    return `<text x="${x + 4}" y="${y + h - 8}" ${FONT} font-size="${level <= 3 ? 15 : 13}" font-weight="bold" fill="#16191f">${escape(markdown.replace(/^#+\s*/, ''))}</text>`;
  }
  const box = `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="3" fill="#ffffff" stroke="#d5dbdb"/>`;
  const title = `<text x="${x + 8}" y="${y + 18}" ${FONT} font-size="12" font-weight="bold" fill="#16191f">${escape(fit(String(properties.title ?? ''), w - 16, 7))}</text>`;
  const lines = widget.type === 'alarm' ? alarmNames(properties) : legend(properties);
  const perColumn = Math.max(1, Math.floor((h - 30) / 14));
  const columnWidth = widget.type === 'alarm' ? w / Math.ceil(lines.length / perColumn) : w;
  const items = lines.map((line, index) => {
    const column = Math.floor(index / perColumn);
    const lineX = x + 8 + column * columnWidth;
    const lineY = y + 36 + (index % perColumn) * 14;
    const swatch = widget.type === 'alarm' ? '#1d8102' : PALETTE[index % PALETTE.length]!;
    return `<rect x="${lineX}" y="${lineY - 8}" width="8" height="8" fill="${swatch}"/><text x="${lineX + 12}" y="${lineY}" ${FONT} font-size="10" fill="#545b64">${escape(fit(line, columnWidth - 24, 5.5))}</text>`;
  });
  // The time axis of a chart, so the picture reads as a dashboard.
  const axis = widget.type === 'metric' ? `<line x1="${x + 8}" y1="${y + h - 12}" x2="${x + w - 8}" y2="${y + h - 12}" stroke="#d5dbdb"/>` : '';
  return [box, title, ...items, axis].join('');
}

/** The alarm widget's alarms, by name (the ARNs end in `alarm:<name>`). */
function alarmNames(properties: Record<string, unknown>): string[] {
  return (properties.alarms as { $sub: string }[]).map((arn) => arn.$sub.slice(arn.$sub.lastIndexOf(':') + 1));
}

/** A metric widget's visible lines: each metric's label (and the dimension it is about), and expressions. */
function legend(properties: Record<string, unknown>): string[] {
  const lines: string[] = [];
  for (const metric of properties.metrics as unknown[]) {
    if (!Array.isArray(metric)) {
      lines.push(`${(metric as { label: string }).label} (metric math)`);
      continue;
    }
    const options = metric[4] as { label?: string; visible?: boolean; stat?: string };
    if (options.visible === false) continue;
    lines.push(`${options.label ?? metric[1]} (${options.stat})`);
  }
  const annotations = (properties.annotations as { horizontal?: { label: string; value: number }[] } | undefined)?.horizontal ?? [];
  for (const annotation of annotations) lines.push(`— ${annotation.label}: ${annotation.value}`);
  return lines;
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'];

/** `text` cut with an ellipsis to about `pixels` wide, at `perCharacter` pixels a character. */
function fit(text: string, pixels: number, perCharacter: number): string {
  const room = Math.floor(pixels / perCharacter);
  return text.length <= room ? text : `${text.slice(0, Math.max(1, room - 1))}…`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

if (require.main === module) {
  const file = pictureFile(PICTURED_ENVIRONMENT);
  writeFileSync(file, dashboardPicture(buildGraph(topology, environments, PICTURED_ENVIRONMENT)));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
