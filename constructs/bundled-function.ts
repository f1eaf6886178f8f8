import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { bundleLambda } from './bundling/bundle-lambda';
import { zipBundle } from './bundling/zip-bundle';
import {
  FUNCTION_BASE_POLICY_NAME,
  functionBasePolicy,
  lambdaTrustPolicy,
  roleDescription,
  roleName,
  type ResolvedFunction,
} from './spec';

export interface BundledFunctionProps {
  /** The function as the spec resolved it (timeout, memory, tracing, log retention, …). */
  readonly spec: ResolvedFunction;
  /** Environment variables added to the spec's own (queue URLs, as tokens). @default none */
  readonly extraEnvironment?: Readonly<Record<string, string>>;
  /**
   * ARN of the environment's KMS key, which encrypts the log group when the spec's `logEncryption`
   * is `environment-key` (required then). @default none
   */
  readonly environmentKeyArn?: string;
}

/**
 * A TypeScript handler bundled with esbuild at synth time and deployed as a Lambda function
 * (`nodejs24.x`), with its own log group (retention per environment, encrypted with the
 * environment's key when the spec says so) and a role whose only rights
 * are writing to that log group (and X-Ray when tracing is on). Queue rights are added by
 * attaching the queues' send/consume managed policies to {@link role}.
 */
export class BundledFunction extends Construct {
  readonly spec: ResolvedFunction;
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  /** The function URL (IAM auth), when the spec asks for one. */
  readonly functionUrl?: LambdaFunctionUrl;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    const { spec } = props;
    this.spec = spec;
    if (spec.logEncryption === 'environment-key' && props.environmentKeyArn === undefined) {
      throw new Error(`function "${spec.name}" (${spec.environment}): its log group is to be encrypted with the environment key, but no environmentKeyArn was given`);
    }

    // A deterministic zip (fixed order, times and modes): the same source gives the same asset
    // and the same source_code_hash on every machine, so plans show no spurious code changes.
    const zip = zipBundle(bundleLambda(spec.entry));
    const asset = new TerraformAsset(this, 'code', { path: zip.file, type: AssetType.FILE });

    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: spec.logGroupName,
      retentionInDays: spec.logRetentionDays,
      ...(spec.logEncryption === 'environment-key' ? { kmsKeyId: props.environmentKeyArn } : {}),
      tags: { ...spec.tags },
    });

    this.role = new IamRole(this, 'role', {
      name: roleName(spec.functionName),
      description: roleDescription(spec.functionName),
      assumeRolePolicy: JSON.stringify(lambdaTrustPolicy()),
      tags: { ...spec.tags },
    });
    const basePolicy = new IamRolePolicy(this, 'base-policy', {
      name: FUNCTION_BASE_POLICY_NAME,
      role: this.role.name,
      // Terraform's log group ARN has no `:*`; with it the statement covers the group's streams.
      policy: JSON.stringify(functionBasePolicy(`${this.logGroup.arn}:*`, spec.tracing)),
    });

    this.function = new LambdaFunction(this, 'function', {
      functionName: spec.functionName,
      description: spec.description,
      role: this.role.arn,
      runtime: spec.runtime,
      architectures: [spec.architecture],
      handler: spec.handler,
      filename: asset.path,
      // Base64 SHA-256 of the zip, the form Lambda reports as CodeSha256.
      sourceCodeHash: zip.base64Sha256,
      timeout: spec.timeoutSeconds,
      memorySize: spec.memorySizeMb,
      ...(spec.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: spec.reservedConcurrency } : {}),
      environment: { variables: { ...spec.environmentVariables, ...props.extraEnvironment } },
      tracingConfig: { mode: spec.tracing ? 'Active' : 'PassThrough' },
      // Powertools already writes JSON lines; JSON format keeps Lambda's own lines structured too.
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      tags: { ...spec.tags },
      // The log group must exist first, or Lambda creates one with infinite retention.
      dependsOn: [this.logGroup, basePolicy],
    });

    if (spec.functionUrl) {
      this.functionUrl = new LambdaFunctionUrl(this, 'url', {
        functionName: this.function.functionName,
        // Callers sign with SigV4; anonymous access would let anyone publish orders.
        authorizationType: 'AWS_IAM',
      });
    }
  }
}
