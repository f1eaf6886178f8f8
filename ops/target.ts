/**
 * Where `npm run ops` points: the local run (`.local/outputs.json`, the default when it exists),
 * a cdktf outputs file (`--outputs <file> --env <env>`) or a deployed CloudFormation stack
 * (`--stack <name>`). Every command then works through the same SQS API calls; only the client
 * differs: the local run's endpoint with placeholder credentials, or the AWS SDK's usual chain
 * (environment, profile, SSO, instance role) for credentials and region.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_LOG_DIR, DEFAULT_OUTPUTS_FILE } from '../local/run-files';
import { createLocalSqsClient } from '../local/sqs-client';
import { UsageError } from './exit-codes';
import { readEnvironmentOutputs } from './outputs-file';
import { pairsFromCloudFormationOutputs, pairsFromTerraformOutputs } from '../model';
import { QueueCatalog } from './queue-catalog';
import { readStackOutputs } from './stack-outputs';

export interface TargetFlags {
  readonly outputs?: string;
  readonly env?: string;
  readonly stack?: string;
  /** Folder of the local run's function logs. @default .local/logs */
  readonly logs?: string;
}

export interface OpsTarget {
  /** What it points at, for messages: `the local run (.local/outputs.json, development)`. */
  readonly description: string;
  readonly environment: string;
  readonly catalog: QueueCatalog;
  /** True for the local run's embedded server. */
  readonly local: boolean;
  /** The local run's consumer logs (where `dlq peek` finds failure reasons); absent for AWS. */
  readonly logDir?: string;
  createSqsClient(): SQSClient;
}

export interface TargetContext {
  readonly cwd: string;
  readonly createCloudFormationClient: () => CloudFormationClient;
}

export async function resolveTarget(flags: TargetFlags, context: TargetContext): Promise<OpsTarget> {
  if (flags.stack !== undefined && flags.outputs !== undefined) {
    throw new UsageError('--stack and --outputs were both given; point at one deployment: a CloudFormation stack or an outputs file');
  }
  if (flags.stack !== undefined) return stackTarget(flags, context);
  const outputsFlag = flags.outputs !== undefined ? '--outputs' : DEFAULT_OUTPUTS_FILE;
  const file = path.resolve(context.cwd, flags.outputs ?? DEFAULT_OUTPUTS_FILE);
  if (flags.outputs === undefined && !existsSync(file)) {
    throw new UsageError(
      `no target: there is no ${DEFAULT_OUTPUTS_FILE} here (start the local run with "npm start"), so say which deployment: --outputs <file> --env <environment> or --stack <name>`,
    );
  }
  const { environment, outputs } = readEnvironmentOutputs(file, flags.env, outputsFlag);
  const catalog = catalogOf(pairsFromTerraformOutputs(outputs, environment), `${displayPath(context.cwd, file)} (${environment})`);
  const endpoint = outputs.sqs_endpoint;
  if (typeof endpoint === 'string' && endpoint !== '') {
    const region = typeof outputs.region === 'string' ? outputs.region : 'us-east-1';
    return {
      description: `the local run (${displayPath(context.cwd, file)}, ${environment})`,
      environment,
      catalog,
      local: true,
      logDir: path.resolve(context.cwd, flags.logs ?? DEFAULT_LOG_DIR),
      createSqsClient: () => createLocalSqsClient(endpoint, region, { maxAttempts: 3 }),
    };
  }
  return {
    description: `${displayPath(context.cwd, file)} (${environment})`,
    environment,
    catalog,
    local: false,
    createSqsClient: () => new SQSClient({}),
  };
}

async function stackTarget(flags: TargetFlags, context: TargetContext): Promise<OpsTarget> {
  const stackName = flags.stack!;
  if (stackName.trim() === '') throw new UsageError('--stack needs the name of a deployed stack, e.g. --stack messaging-staging');
  const client = context.createCloudFormationClient();
  try {
    const { environment, outputs } = await readStackOutputs(client, stackName);
    if (flags.env !== undefined && flags.env !== environment) {
      throw new UsageError(`--env "${flags.env}" does not match stack "${stackName}", which deploys the ${environment} environment; leave --env out with --stack`);
    }
    return {
      description: `CloudFormation stack ${stackName} (${environment})`,
      environment,
      catalog: catalogOf(pairsFromCloudFormationOutputs(outputs, environment), `stack ${stackName}`),
      local: false,
      createSqsClient: () => new SQSClient({}),
    };
  } finally {
    client.destroy();
  }
}

function catalogOf(pairs: ReturnType<typeof pairsFromTerraformOutputs>, where: string): QueueCatalog {
  if (pairs.length === 0) throw new UsageError(`${where} has no queue outputs (e.g. order_queue_url, order_dlq_arn or OrderQueueUrl, OrderDlqArn)`);
  return new QueueCatalog(pairs);
}

function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
