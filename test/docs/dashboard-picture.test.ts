/** The dashboard picture in docs/ is the model's dashboard as it is now (regenerate: npm run dashboard-picture). */
import { readFileSync } from 'node:fs';
import { buildGraph, type DashboardNode } from '../../model';
import { environments } from '../../stacks/environments';
import { topology } from '../../stacks/topology';
import { dashboardPicture, pictureFile, PICTURED_ENVIRONMENT } from '../../docs/dashboard-picture';

it('is up to date with the model', () => {
  const committed = readFileSync(pictureFile(PICTURED_ENVIRONMENT), 'utf8');
  expect(committed).toBe(dashboardPicture(buildGraph(topology, environments, PICTURED_ENVIRONMENT)));
});

it('draws every widget of the dashboard, titled as deployed', () => {
  const picture = dashboardPicture(buildGraph(topology, environments, PICTURED_ENVIRONMENT));
  const dashboard = buildGraph(topology, environments, PICTURED_ENVIRONMENT).nodes.find((node): node is DashboardNode => node.type === 'cloudwatch:dashboard' && 'properties' in node)!;
  const widgets = dashboard.properties.DashboardBody.widgets;
  // One box per chart or alarm widget; text widgets are headings.
  expect(picture.match(/rx="3"/g)!.length).toBe(widgets.filter((widget) => widget.type !== 'text').length);
  expect(picture).toContain('order queue — from order-service to inventory-service');
  expect(picture).toContain('production-inventory-service-error-rate');
});
