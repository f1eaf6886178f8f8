/**
 * The outputs file apps read, in the shape `cdktf deploy --outputs-file` writes for a deployed stack:
 * `{ "<stack>": { "order_queue_url": "...", "order_queue_arn": "...", ... } }`, plus what only the
 * local mode has: the endpoint and region to give the SDK. Policy and alert-topic outputs are left
 * out: IAM and SNS are not emulated locally.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { outputName, type EnvironmentName } from '../constructs/spec';
import type { ProvisionedQueue } from './provision';

export type LocalOutputs = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Builds the outputs of one environment's stack from its provisioned queues. */
export function localOutputs(
  environment: EnvironmentName,
  queues: readonly ProvisionedQueue[],
  server: { readonly endpoint: string; readonly region: string },
): LocalOutputs {
  const values: Record<string, string> = {};
  for (const queue of queues) {
    const name = queue.spec.name;
    values[outputName(name, 'queue_url')] = queue.queueUrl;
    values[outputName(name, 'queue_arn')] = queue.queueArn;
    values[outputName(name, 'dlq_url')] = queue.deadLetterQueueUrl;
    values[outputName(name, 'dlq_arn')] = queue.deadLetterQueueArn;
  }
  values.sqs_endpoint = server.endpoint;
  values.region = server.region;
  return { [environment]: values };
}

/** Writes the outputs atomically (a reader never sees half a file). */
export function writeOutputsFile(file: string, outputs: LocalOutputs): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(outputs, null, 2) + '\n');
  renameSync(temporary, file);
}
