/**
 * The outputs file apps read, in the shape `cdktf deploy --outputs-file` writes for a deployed stack:
 * `{ "<stack>": { "order_queue_url": "...", "order_queue_arn": "...", ... } }` — every output of the
 * graph, with local values — plus what only local mode has: the endpoint and region to give the SDK.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EnvironmentGraph } from '../model';
import type { LocalReferences } from './local-references';

export type LocalOutputs = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** The outputs of one environment's stack, as local mode provisioned it. */
export function localOutputs(graph: EnvironmentGraph, references: LocalReferences, server: { readonly endpoint: string; readonly region: string }): LocalOutputs {
  const values: Record<string, string> = {};
  for (const output of graph.outputs) values[output.name] = String(references.resolve(output.value));
  values.sqs_endpoint = server.endpoint;
  values.region = server.region;
  return { [graph.namePrefix]: values };
}

/** Writes the outputs atomically (a reader never sees half a file). */
export function writeOutputsFile(file: string, outputs: LocalOutputs): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(outputs, null, 2) + '\n');
  renameSync(temporary, file);
}
