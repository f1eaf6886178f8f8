/**
 * An outputs file in the shape `cdktf deploy --outputs-file` writes, `{ "<stack>": { "<output>":
 * value } }`, one stack per environment; the local run writes the same shape with `sqs_endpoint`
 * and `region` added (local/outputs.ts).
 */
import { readFileSync } from 'node:fs';
import { UsageError } from './exit-codes';

export interface EnvironmentOutputs {
  readonly environment: string;
  readonly outputs: Readonly<Record<string, unknown>>;
}

/**
 * The outputs of one environment of `file`: `environment` when given, else the file's only one.
 * @param flag how the user named the file, for messages (`--outputs` or the default path)
 */
export function readEnvironmentOutputs(file: string, environment: string | undefined, flag: string): EnvironmentOutputs {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UsageError(`${flag}: there is no file ${file}; write it with "cdktf deploy <environment> --outputs-file ${file}", or start the local run (npm start writes .local/outputs.json)`);
    }
    throw new UsageError(`${flag}: cannot read ${file} (${(error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag}: ${file} is not valid JSON (${(error as Error).message}); it should be the file "cdktf deploy --outputs-file" writes`);
  }
  if (!isRecord(parsed) || !Object.values(parsed).every(isRecord)) {
    throw new UsageError(`${flag}: ${file} is not an outputs file: expected { "<environment>": { "<output>": "<value>", … } }`);
  }
  const environments = Object.keys(parsed);
  if (environments.length === 0) throw new UsageError(`${flag}: ${file} has no environments`);
  if (environment === undefined) {
    if (environments.length > 1) throw new UsageError(`--env is needed: ${file} has the environments ${environments.join(', ')}; e.g. --env ${environments[0]}`);
    return { environment: environments[0]!, outputs: parsed[environments[0]!] as Record<string, unknown> };
  }
  if (!(environment in parsed)) throw new UsageError(`--env "${environment}" is not in ${file}; it has: ${environments.join(', ')}`);
  return { environment, outputs: parsed[environment] as Record<string, unknown> };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
