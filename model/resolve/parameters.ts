/**
 * The queue endpoints in SSM Parameter Store: on unless the profile turns them off, under a path
 * (default `/<scope>/<environment>/messaging`) checked against SSM's naming rules with the longest
 * queue name under it.
 */
import { PARAMETER_DEFAULTS } from '../defaults';
import { NAME_RULES, SSM_PARAMETER_MAX_LEVELS, SSM_RESERVED_PREFIX } from '../limits';
import { parameterName, parameterPath, parametersReadPolicyName, QUEUE_PARAMETERS } from '../naming';
import type { Problems, Subject } from '../problems';
import { endpointsReadPolicyDescription } from '../graph/descriptions';
import { checkDerivedName } from '../rules/names';
import type { ResolvedEnvironment } from './resolved';

export function resolveParameters(
  problems: Problems,
  subject: Subject,
  names: { readonly environment: string; readonly scope?: string; readonly prefix: string },
  queueNames: readonly string[],
  settings: unknown,
): ResolvedEnvironment['parameters'] {
  const input = settings === undefined ? {} : settings;
  if (!problems.object(subject, 'parameters', input)) return undefined;
  problems.knownFields(subject, 'parameters: ', input, ['enabled', 'path']);
  const { enabled = PARAMETER_DEFAULTS.enabled, path = parameterPath(names.environment, names.scope) } = input as Record<string, unknown>;
  if (!problems.boolean(subject, 'parameters.enabled', enabled) || !enabled || queueNames.length === 0) return undefined;
  if (typeof path !== 'string' || !NAME_RULES.ssmParameter.pattern.test(path)) {
    problems.add(subject, 'parameters.path', 'must start with "/" and be "/"-separated segments of letters, digits, _ . and - (no trailing "/")', path, 'e.g. "/payments/production/messaging"');
    return undefined;
  }
  let valid = true;
  if (SSM_RESERVED_PREFIX.test(path)) {
    problems.add(subject, 'parameters.path', 'must not start with "aws" or "ssm" (SSM reserves them)', path, 'e.g. "/payments/production/messaging"');
    valid = false;
  }
  const levels = path.split('/').length - 1 + 2;
  if (levels > SSM_PARAMETER_MAX_LEVELS) {
    problems.add(subject, 'parameters.path', `must leave room for <queue>/<what> within SSM's ${SSM_PARAMETER_MAX_LEVELS} levels (it makes ${levels})`, path, 'use fewer segments');
    valid = false;
  }
  // The longest name under the path decides whether every name fits.
  const longest = [...queueNames].sort((a, b) => b.length - a.length)[0]!;
  const name = parameterName(path, longest, QUEUE_PARAMETERS.reduce((a, b) => (b.length > a.length ? b : a)));
  valid = checkDerivedName(problems, { subject, field: 'parameters.path', provided: path, value: name, rule: NAME_RULES.ssmParameter, fix: 'shorten the path or the queue name' }) && valid;
  const readPolicyName = parametersReadPolicyName(names.prefix);
  valid = checkDerivedName(problems, { subject, field: 'parameters.path', provided: path, value: endpointsReadPolicyDescription(path), rule: NAME_RULES.iamDescription, fix: 'shorten the path' }) && valid;
  valid = checkDerivedName(problems, { subject, field: 'name', provided: subject.name, value: readPolicyName, rule: NAME_RULES.iamPolicy, fix: 'shorten the environment name or the scope' }) && valid;
  return valid ? { path, readPolicyName } : undefined;
}
