import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { bundleLambda } from './bundling/bundle-lambda';
import { zipDirectory } from './bundling/zip-bundle';
import { policyDocument, type PolicyStatement } from './policy-documents';
import { LOG_WRITE_ACTIONS, XRAY_ACTIONS, type ResolvedFunction } from './spec';

export interface BundledFunctionProps {
  /** The function as the spec resolved it (timeout, memory, tracing, log retention, …). */
  readonly spec: ResolvedFunction;
  /** Environment variables added to the spec's own (queue URLs, as tokens). @default none */
  readonly extraEnvironment?: Readonly<Record<string, string>>;
}

/**
 * A TypeScript handler bundled with esbuild at synth time and deployed as a Lambda function
 * (`nodejs24.x`), with its own log group (retention per environment) and a role whose only rights
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

    // A deterministic zip (fixed order, times and modes): the same source gives the same asset
    // and the same source_code_hash on every machine, so plans show no spurious code changes.
    const zip = zipDirectory(bundleLambda(spec.entry).directory);
    const asset = new TerraformAsset(this, 'code', { path: zip.file, type: AssetType.FILE });

    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: spec.logGroupName,
      retentionInDays: spec.logRetentionDays,
      tags: { ...spec.tags },
    });

    this.role = new IamRole(this, 'role', {
      name: `${spec.functionName}-role`,
      description: `Execution role of ${spec.functionName}`,
      assumeRolePolicy: policyDocument([
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]),
      tags: { ...spec.tags },
    });
    const statements: PolicyStatement[] = [
      // Only this function's log group; its streams are `<group ARN>:log-stream:…`.
      { Sid: 'WriteOwnLogs', Effect: 'Allow', Action: [...LOG_WRITE_ACTIONS], Resource: `${this.logGroup.arn}:*` },
    ];
    if (spec.tracing) {
      statements.push({ Sid: 'WriteTraces', Effect: 'Allow', Action: [...XRAY_ACTIONS], Resource: '*' });
    }
    const basePolicy = new IamRolePolicy(this, 'base-policy', {
      name: 'logs-and-traces',
      role: this.role.name,
      policy: policyDocument(statements),
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
