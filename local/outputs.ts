/**
 * What a local run hands to apps, in two files:
 *
 * - `.local/outputs.json`, in the shape `cdktf deploy --outputs-file` writes for a deployed stack
 *   (`{ "<stack>": { "order_queue_url": "...", ... } }`) with every output of the graph, plus what
 *   only local mode has: `sqs_endpoint` and `region`. IAM and SNS are not emulated: the policy and
 *   alert-topic outputs carry the ARNs those resources would have on the local account (see
 *   local-references.ts), so a program that reads them finds every key it finds after a deploy.
 * - `.local/env`, for `source`/`.` in a shell: the endpoint, region, placeholder credentials, one
 *   `<QUEUE>_QUEUE_URL` per queue and the outputs file for `loadQueueEndpoints`, so an app using the
 *   AWS SDK as it is needs nothing else.
 *
 * Both are removed when the run ends (see {@link removeRunFiles}): a stale file would send an app
 * to a port nobody listens on.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { queueUrlVariable, type EnvironmentGraph } from '../model';
import type { LocalReferences } from './local-references';
import type { ProvisionedQueue } from './provision';
import { LOCAL_OUTPUTS_VARIABLE } from '../endpoints/load-queue-endpoints';
import { LOCAL_CREDENTIALS } from './sqs-client';

export type LocalOutputs = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface LocalServerAddress {
  readonly endpoint: string;
  readonly region: string;
}

/** The outputs of one environment's stack, as local mode provisioned it. */
export function localOutputs(graph: EnvironmentGraph, references: LocalReferences, server: LocalServerAddress): LocalOutputs {
  const values: Record<string, string> = {};
  for (const output of graph.outputs) values[output.name] = String(references.resolve(output.value));
  values.sqs_endpoint = server.endpoint;
  values.region = server.region;
  return { [graph.namePrefix]: values };
}

/**
 * The `.local/env` text: `export NAME='value'` lines an app's shell can source.
 * @param outputsFile the outputs file of the same run, for `loadQueueEndpoints` (absolute path)
 */
export function localEnvFile(graph: EnvironmentGraph, references: LocalReferences, queues: readonly ProvisionedQueue[], server: LocalServerAddress, outputsFile?: string): string {
  const functionUrls = graph.outputs.filter((output) => output.origin.kind === 'function' && output.name.endsWith('_function_url'));
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
    ...functionUrls.map((output): [string, string] => [output.name.toUpperCase(), String(references.resolve(output.value))]),
    // loadQueueEndpoints reads this run's outputs instead of SSM.
    ...(outputsFile ? [[LOCAL_OUTPUTS_VARIABLE, outputsFile] as [string, string]] : []),
  ];
  return [
    `# Local mode (${graph.namePrefix}): endpoints for apps, valid while the run lasts.`,
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
