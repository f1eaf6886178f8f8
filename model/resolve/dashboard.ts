/** The environment's dashboard: on unless the profile turns it off; its name derived and checked. */
import { DASHBOARD_DEFAULTS } from '../defaults';
import { NAME_RULES } from '../limits';
import { dashboardName } from '../naming';
import type { Problems, Subject } from '../problems';
import { checkDerivedName } from '../rules/names';
import type { ResolvedEnvironment } from './resolved';

export function resolveDashboard(problems: Problems, subject: Subject, prefix: string, settings: unknown): ResolvedEnvironment['dashboard'] {
  const input = settings === undefined ? {} : settings;
  if (!problems.object(subject, 'dashboard', input)) return undefined;
  problems.knownFields(subject, 'dashboard: ', input, ['enabled']);
  const { enabled = DASHBOARD_DEFAULTS.enabled } = input as Record<string, unknown>;
  if (!problems.boolean(subject, 'dashboard.enabled', enabled) || !enabled) return undefined;
  const name = dashboardName(prefix);
  checkDerivedName(problems, { subject, field: 'name', provided: subject.name, value: name, rule: NAME_RULES.cloudwatchDashboard, fix: 'shorten the environment name or the scope' });
  return { dashboardName: name };
}
