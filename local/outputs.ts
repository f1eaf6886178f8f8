/**
 * What a local run hands to apps, in two files:
 *
 * - `.local/outputs.json`, in the shape `cdktf deploy --outputs-file` writes for a deployed stack
 *   (`{ "<stack>": { "order_queue_url": "...", ... } }`) with every output the stacks have, plus what
 *   only local mode has: `sqs_endpoint` and `region`. IAM and SNS are not emulated: the policy and
 *   alert-topic outputs carry the ARNs those resources would have on the local account, so a
 *   program that reads them finds every key it finds after a deploy.
 * - `.local/env`, for `source`/`.` in a shell: the endpoint, region, placeholder credentials and one
 *   `<QUEUE>_QUEUE_URL` per queue, so an app using the AWS SDK as it is needs nothing else.
 *
 * Both are removed when the run ends (see {@link removeRunFiles}): a stale file would send an app
 * to a port nobody listens on.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ALERT_TOPIC_OUTPUT,
  functionUrlOutputName,
  outputName,
  policyName,
  queueUrlVariable,
  type QueueOutputKind,
  type ResolvedEnvironment,
} from '../constructs/spec';
import type { ProvisionedQueue } from './provision';
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS } from './sqs-client';

export type LocalOutputs = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface LocalOutputsInput {
  readonly environment: ResolvedEnvironment;
  readonly queues: readonly ProvisionedQueue[];
  readonly server: { readonly endpoint: string; readonly region: string };
  /** Local function URLs by logical function name (`order-service` → `http://127.0.0.1:…/`). */
  readonly functionUrls?: Readonly<Record<string, string>>;
}

/** Builds the outputs of one environment's stack, with the same names the deployed stack has. */
export function localOutputs(input: LocalOutputsInput): LocalOutputs {
  const { environment, queues, server } = input;
  const values: Record<string, string> = {};
  for (const queue of queues) {
    const name = queue.spec.name;
    const byKind: Record<QueueOutputKind, string> = {
      queue_url: queue.queueUrl,
      queue_arn: queue.queueArn,
      dlq_url: queue.deadLetterQueueUrl,
      dlq_arn: queue.deadLetterQueueArn,
      send_policy_arn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:policy/${policyName(environment.environment, name, 'send')}`,
      consume_policy_arn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:policy/${policyName(environment.environment, name, 'consume')}`,
    };
    for (const [kind, value] of Object.entries(byKind)) values[outputName(name, kind as QueueOutputKind)] = value;
  }
  values[ALERT_TOPIC_OUTPUT.what] =
    environment.alerts.existingTopicArn ?? `arn:aws:sns:${server.region}:${LOCAL_ACCOUNT_ID}:${environment.alerts.topicName ?? `${environment.environment}-sqs-alerts`}`;
  for (const [name, url] of Object.entries(input.functionUrls ?? {})) values[functionUrlOutputName(name)] = url;
  values.sqs_endpoint = server.endpoint;
  values.region = server.region;
  return { [environment.environment]: values };
}

/** The `.local/env` text: `export NAME='value'` lines an app's shell can source. */
export function localEnvFile(input: LocalOutputsInput): string {
  const { queues, server } = input;
  const variables: [string, string][] = [
    // SDK v3 (and v2 ≥ 2.1490, boto3 ≥ 1.28.57) send every SQS request here.
    ['AWS_ENDPOINT_URL_SQS', server.endpoint],
    ['AWS_REGION', server.region],
    ['AWS_DEFAULT_REGION', server.region],
    // The embedded server does not check signatures, but the SDK refuses to sign without credentials.
    ['AWS_ACCESS_KEY_ID', LOCAL_CREDENTIALS.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', LOCAL_CREDENTIALS.secretAccessKey],
    ...queues.flatMap((queue): [string, string][] => [
      [queueUrlVariable(queue.spec.name), queue.queueUrl],
      [queueUrlVariable(queue.spec.name).replace(/_QUEUE_URL$/, '_DLQ_URL'), queue.deadLetterQueueUrl],
    ]),
    ...Object.entries(input.functionUrls ?? {}).map(([name, url]): [string, string] => [functionUrlOutputName(name).toUpperCase(), url]),
  ];
  return [
    `# Local mode (${input.environment.environment}): endpoints for apps, valid while the run lasts.`,
    '# Load with:  set -a; . .local/env; set +a   (or: source .local/env)',
    // A session token or profile from the developer's shell would be sent with the placeholders.
    'unset AWS_SESSION_TOKEN AWS_PROFILE',
    ...variables.map(([name, value]) => `export ${name}='${value.replace(/'/g, `'\\''`)}'`),
    '',
  ].join('\n');
}

/** Writes the outputs atomically (a reader never sees half a file). */
export function writeOutputsFile(file: string, outputs: LocalOutputs): void {
  writeAtomically(file, JSON.stringify(outputs, null, 2) + '\n');
}

/** Writes `text` to `file` through a temporary file and a rename; creates the folder. */
export function writeAtomically(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/**
 * Removes files this run wrote, unless another run has replaced them since (their content is no
 * longer what this run wrote).
 */
export function removeRunFiles(files: readonly { readonly file: string; readonly text: string }[]): void {
  for (const { file, text } of files) {
    try {
      if (readFileSync(file, 'utf8') === text) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  }
}
