/**
 * `loadQueueEndpoints`: an app's queue URLs and ARNs at runtime, by logical queue name. Deployed, it
 * reads the SSM parameters the stack publishes (`<path>/<queue>/queue-url`, …; the app's role needs
 * the environment's `endpoints_read_policy_arn`). Pointed at a local run (the `local` option, or the
 * SQS_MESSAGING_OUTPUTS variable that `.local/env` sets), it reads `.local/outputs.json` instead, so
 * the same code runs in both places.
 */
import { readFileSync } from 'node:fs';
import { ENVIRONMENT_NAME_PATTERN, NAME_RULES, namePrefix, pairsFromTerraformOutputs, parameterPath, QUEUE_PARAMETERS, type QueueParameterKind } from '../model';

/** Set by a local run's `.local/env`: the outputs file `loadQueueEndpoints` reads instead of SSM. */
export const LOCAL_OUTPUTS_VARIABLE = 'SQS_MESSAGING_OUTPUTS';

export interface QueueEndpoints {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly deadLetterQueueUrl: string;
  readonly deadLetterQueueArn: string;
}

/** The one SSM call used, so a caller may pass any client with `send` (e.g. one with its own region). */
export interface ParameterReader {
  send(command: unknown): Promise<unknown>;
}

export interface LoadQueueEndpointsOptions<Q extends string> {
  /** The environment whose queues to read, e.g. `production`. */
  readonly environment: string;
  /** The profile's scope, when it has one. @default none */
  readonly scope?: string;
  /** The parameters' path, when the profile sets `parameters.path`. @default '/<scope>/<environment>/messaging' */
  readonly path?: string;
  /** The queues the app needs; each must exist, and the result is typed by them. @default every queue found */
  readonly queues?: readonly Q[];
  /**
   * Read a local run's outputs file instead of SSM. @default the file named by SQS_MESSAGING_OUTPUTS
   * (which `.local/env` sets) when that is set, else SSM
   */
  readonly local?: string;
  /** The SSM client to use. @default a new `SSMClient` from `@aws-sdk/client-ssm` (region and credentials from the SDK's usual chain) */
  readonly ssm?: ParameterReader;
}

/** Reads the endpoints of `queues` (or of every queue found), by logical queue name. */
export async function loadQueueEndpoints<const Q extends string = string>(options: LoadQueueEndpointsOptions<Q>): Promise<Readonly<Record<Q, QueueEndpoints>>> {
  checkOptions(options);
  const localFile = options.local ?? process.env[LOCAL_OUTPUTS_VARIABLE];
  const path = options.path ?? parameterPath(options.environment, options.scope);
  const found = localFile ? fromOutputsFile(localFile, options) : await fromParameterStore(path, options);
  const where = localFile ? `the local outputs file ${localFile}` : `SSM Parameter Store under ${path}`;
  const wanted = options.queues ?? (Object.keys(found) as Q[]);
  const result = {} as Record<Q, QueueEndpoints>;
  for (const queue of wanted) {
    const endpoints = found[queue];
    if (!endpoints) {
      const known = Object.keys(found);
      throw new Error(
        `loadQueueEndpoints: no queue "${queue}" in ${where} (${known.length > 0 ? `found: ${known.join(', ')}` : 'none found'}); ` +
          `check the queue name, the environment "${options.environment}"${options.scope ? `, the scope "${options.scope}"` : ''}${localFile ? ' and that the local run is up' : ', the path and that the stack is deployed'}`,
      );
    }
    result[queue] = endpoints;
  }
  return result;
}

function checkOptions(options: LoadQueueEndpointsOptions<string>): void {
  const fail = (field: string, requirement: string, value: unknown, fix: string) => {
    throw new TypeError(`loadQueueEndpoints: ${field} ${requirement}, but ${JSON.stringify(value) ?? String(value)} was provided; ${fix}`);
  };
  if (typeof options !== 'object' || options === null) fail('options', 'must be an object', options, 'e.g. loadQueueEndpoints({ environment: "production" })');
  if (typeof options.environment !== 'string' || !ENVIRONMENT_NAME_PATTERN.test(options.environment)) {
    fail('environment', 'must be an environment name (lowercase letters, digits and -)', options.environment, 'e.g. environment: "production"');
  }
  if (options.scope !== undefined && (typeof options.scope !== 'string' || !ENVIRONMENT_NAME_PATTERN.test(options.scope))) {
    fail('scope', 'must be the profile\'s scope (lowercase letters, digits and -)', options.scope, 'e.g. scope: "payments", or leave it out');
  }
  if (options.path !== undefined && (typeof options.path !== 'string' || !NAME_RULES.ssmParameter.pattern.test(options.path))) {
    fail('path', 'must be an SSM path such as "/payments/production/messaging"', options.path, 'use the profile\'s parameters.path, or leave it out');
  }
  if (options.queues !== undefined && (!Array.isArray(options.queues) || options.queues.some((queue) => typeof queue !== 'string' || queue === ''))) {
    fail('queues', 'must be a list of logical queue names', options.queues, 'e.g. queues: ["order", "inventory"]');
  }
  if (options.local !== undefined && (typeof options.local !== 'string' || options.local === '')) {
    fail('local', 'must be the path of a local run\'s outputs file', options.local, 'e.g. local: ".local/outputs.json"');
  }
}

/** SSM: every parameter under the path, page by page, grouped by queue. */
async function fromParameterStore(path: string, options: LoadQueueEndpointsOptions<string>): Promise<Record<string, QueueEndpoints>> {
  const { GetParametersByPathCommand, SSMClient } = loadSsm();
  const client = options.ssm ?? new SSMClient({});
  const values = new Map<string, string>();
  try {
    let nextToken: string | undefined;
    do {
      const page = (await client.send(new GetParametersByPathCommand({ Path: path, Recursive: true, ...(nextToken ? { NextToken: nextToken } : {}) }))) as {
        Parameters?: { Name?: string; Value?: string }[];
        NextToken?: string;
      };
      for (const parameter of page.Parameters ?? []) if (parameter.Name && parameter.Value) values.set(parameter.Name, parameter.Value);
      nextToken = page.NextToken;
    } while (nextToken);
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'AccessDeniedException') {
      throw new Error(`loadQueueEndpoints: not allowed to read ${path} (${(error as Error).message}); attach the environment's endpoints_read_policy_arn to the app's role`);
    }
    throw error;
  } finally {
    if (!options.ssm) (client as { destroy?: () => void }).destroy?.();
  }
  const byQueue = new Map<string, Partial<Record<QueueParameterKind, string>>>();
  for (const [name, value] of values) {
    // `<path>/<queue>/<kind>`: anything else under the path is not a queue endpoint.
    const [queue, kind, ...rest] = name.startsWith(`${path}/`) ? name.slice(path.length + 1).split('/') : [];
    if (!queue || !QUEUE_PARAMETERS.includes(kind as QueueParameterKind) || rest.length > 0) continue;
    byQueue.set(queue, { ...byQueue.get(queue), [kind as QueueParameterKind]: value });
  }
  const result: Record<string, QueueEndpoints> = {};
  for (const [queue, parts] of byQueue) {
    if (parts['queue-url'] && parts['queue-arn'] && parts['dlq-url'] && parts['dlq-arn']) {
      result[queue] = { queueUrl: parts['queue-url'], queueArn: parts['queue-arn'], deadLetterQueueUrl: parts['dlq-url'], deadLetterQueueArn: parts['dlq-arn'] };
    }
  }
  return result;
}

/** A local run's outputs (`{ "<prefix>": { "order_queue_url": …, … } }`), by queue. */
function fromOutputsFile(file: string, options: LoadQueueEndpointsOptions<string>): Record<string, QueueEndpoints> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`loadQueueEndpoints: cannot read the local outputs file ${file} (${(error as Error).message}); start the local run (npm start) or fix the path`);
  }
  const prefix = namePrefix(options.environment, options.scope);
  const outputs = (parsed as Record<string, Record<string, unknown>>)?.[prefix];
  if (typeof outputs !== 'object' || outputs === null) {
    throw new Error(`loadQueueEndpoints: ${file} has no outputs for "${prefix}" (it has ${Object.keys(parsed as object).join(', ') || 'none'}); check the environment and scope`);
  }
  const result: Record<string, QueueEndpoints> = {};
  for (const pair of pairsFromTerraformOutputs(outputs, options.environment)) {
    result[pair.name] = { queueUrl: pair.queue.url, queueArn: pair.queue.arn, deadLetterQueueUrl: pair.deadLetterQueue.url, deadLetterQueueArn: pair.deadLetterQueue.arn };
  }
  return result;
}

/** `@aws-sdk/client-ssm` is an optional peer: only apps that read SSM need it. */
function loadSsm(): typeof import('@aws-sdk/client-ssm') {
  try {
    return require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error('loadQueueEndpoints: reading SSM needs @aws-sdk/client-ssm; install it (npm install @aws-sdk/client-ssm), or pass `local` to read a local run');
  }
}
