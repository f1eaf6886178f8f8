/**
 * The CloudFormation renderer: the resolved specs of every environment → ONE template with an
 * `Environment` parameter. It expresses what the cdktf constructs (`constructs/*.ts`) build, resource
 * for resource; `test/templates/equivalence.test.ts` proves both reduce to the same summary.
 *
 * Values that differ between environments come from `Mappings`; resources or statements that exist
 * in some environments only carry a `Condition`. Nothing is re-derived or restated: every value is
 * read from the resolved spec, every policy is built by `constructs/spec/policies.ts` (with
 * intrinsics as references), and names and wording come from `naming.ts` / `descriptions.ts`.
 */
import path from 'node:path';
import {
  ACCOUNT_LOG_GROUPS_ARN,
  ACCOUNT_ROOT_ARN,
  ALERT_TOPIC_OUTPUT,
  ALERT_TOPIC_OUTPUT_DESCRIPTION,
  alertTopicPolicy,
  consumePolicyDescription,
  environmentKeyDescription,
  environmentKeyPolicy,
  FUNCTION_BASE_POLICY_NAME,
  functionBasePolicy,
  functionUrlOutputDescription,
  KMS_KEY_DELETION_WINDOW_DAYS,
  lambdaTrustPolicy,
  LOGS_SERVICE_PRINCIPAL,
  policyName,
  QUEUE_OUTPUTS,
  queueConsumePolicy,
  queueSendPolicy,
  roleDescription,
  roleName,
  sendPolicyDescription,
  tlsOnlyQueuePolicy,
  type PolicyDocument,
  type PolicyStatement,
  type ResolvedAlarm,
  type ResolvedEnvironment,
  type ResolvedFunction,
  type ResolvedQueue,
} from '../../constructs/spec';
import {
  getAtt,
  NO_VALUE,
  pascalCase,
  ref,
  sub,
  withoutNoValues,
  type CfnOutput,
  type CfnResource,
  type CfnTemplate,
  type CfnValue,
} from './cfn';
import { EnvironmentValues, type ConditionRef, type PerEnvironment } from './per-environment';

export interface RenderOptions {
  /** Folder the template is written to: function `Code` paths are relative to it. */
  readonly templateDirectory: string;
  /** Absolute path of a function's bundle folder (what `aws cloudformation package` zips). */
  readonly codeDirectory: (fn: ResolvedFunction) => string;
}

/** The template's parameter that selects the environment. */
export const ENVIRONMENT_PARAMETER = 'Environment';

/** Logical ids, one place (tests and docs refer to them). */
export const logicalIds = {
  encryptionKey: 'EncryptionKey',
  encryptionKeyAlias: 'EncryptionKeyAlias',
  alertTopic: 'AlertTopic',
  alertTopicPolicy: 'AlertTopicPolicy',
  queue: (name: string) => `${pascalCase(name)}Queue`,
  deadLetterQueue: (name: string) => `${pascalCase(name)}Dlq`,
  queuePolicy: (name: string) => `${pascalCase(name)}QueuePolicy`,
  deadLetterQueuePolicy: (name: string) => `${pascalCase(name)}DlqPolicy`,
  sendPolicy: (name: string) => `${pascalCase(name)}SendPolicy`,
  consumePolicy: (name: string) => `${pascalCase(name)}ConsumePolicy`,
  alarm: (name: string, kind: AlarmKind) => `${pascalCase(name)}${ALARM_KINDS[kind].id}Alarm`,
  logGroup: (name: string) => `${pascalCase(name)}LogGroup`,
  role: (name: string) => `${pascalCase(name)}Role`,
  function: (name: string) => `${pascalCase(name)}Function`,
  functionUrl: (name: string) => `${pascalCase(name)}FunctionUrl`,
  /** The function URL's output (Outputs are a namespace of their own): `OrderServiceFunctionUrl`. */
  functionUrlOutput: (name: string) => `${pascalCase(name)}FunctionUrl`,
  eventSourceMapping: (name: string) => `${pascalCase(name)}EventSourceMapping`,
  queueOutput: (name: string, suffix: string) => `${pascalCase(name)}${suffix}`,
};

type AlarmKind = keyof ResolvedQueue['alarms'];
const ALARM_KINDS: Record<AlarmKind, { id: string; mappingKey: string }> = {
  depth: { id: 'QueueDepth', mappingKey: 'DepthAlarm' },
  oldestMessageAge: { id: 'QueueOldestMessageAge', mappingKey: 'OldestMessageAgeAlarm' },
  deadLetterQueue: { id: 'DlqNotEmpty', mappingKey: 'DeadLetterQueueAlarm' },
};

const ENVIRONMENT_MAPPING = 'EnvironmentSettings';

/** Renders the template for `specs` (one per environment, all of the same topology). */
export function renderMessagingTemplate(specs: readonly ResolvedEnvironment[], options: RenderOptions): CfnTemplate {
  return new MessagingTemplateRenderer(specs, options).render();
}

class MessagingTemplateRenderer {
  private readonly env: EnvironmentValues;
  private readonly resources: Record<string, CfnResource> = {};
  private readonly outputs: Record<string, CfnOutput> = {};
  private readonly queueNames: readonly string[];
  private readonly functionNames: readonly string[];
  /** Holds where the queues are KMS-encrypted. */
  private useKms!: ConditionRef;
  /** Holds where the template creates the environment key (per environment: {@link keyCreated}). */
  private createKey!: ConditionRef;
  private keyCreated: readonly boolean[] = [];
  /** The KMS key ARN (valid where {@link useKms} holds). */
  private kmsKeyArn: CfnValue = NO_VALUE;
  private alertTopicArn!: CfnValue;

  constructor(
    private readonly specs: readonly ResolvedEnvironment[],
    private readonly options: RenderOptions,
  ) {
    if (specs.length === 0) throw new Error('renderMessagingTemplate: no environment given');
    this.env = new EnvironmentValues(
      specs.map((spec) => spec.environment),
      ENVIRONMENT_PARAMETER,
    );
    this.queueNames = sameAcrossEnvironments(specs, 'queues', (spec) => spec.queues.map((queue) => queue.name));
    this.functionNames = sameAcrossEnvironments(specs, 'functions', (spec) => spec.functions.map((fn) => fn.name));
  }

  render(): CfnTemplate {
    this.renderEncryptionKey();
    this.renderAlertTopic();
    for (const name of this.queueNames) this.renderQueue(name);
    for (const name of this.functionNames) this.renderFunction(name);
    this.renderOutputs();
    const environments = this.specs.map((spec) => spec.environment);
    return {
      AWSTemplateFormatVersion: '2010-09-09',
      Description:
        'Environment-scoped SQS messaging: queue / dead-letter queue pairs, TLS-only queue policies, send and consume ' +
        'managed policies, CloudWatch alarms to an SNS alert topic, and the bundled Lambda services with their SQS event ' +
        'source mappings. Generated from the same spec as the cdktf stacks; deploy with `aws cloudformation package` + ' +
        '`aws cloudformation deploy --parameter-overrides Environment=<environment>`.',
      Parameters: {
        [ENVIRONMENT_PARAMETER]: {
          Type: 'String',
          Description: `Environment to deploy (${environments.join(', ')}); selects every value in Mappings and names every resource.`,
          AllowedValues: environments,
        },
      },
      Mappings: this.env.mappings(),
      Conditions: this.env.conditions(),
      Resources: this.resources,
      Outputs: this.outputs,
    };
  }

  // ───────────────────────────── environment-wide: KMS key, alert topic ─────────────────────────────

  private renderEncryptionKey(): void {
    const { env } = this;
    const kms = this.specs.map((spec) => spec.encryption.type === 'kms');
    const created = this.specs.map((spec) => spec.kmsKeyAlias !== undefined);
    this.useKms = env.condition(['UseKmsEncryption'], kms);
    // The key exists exactly where KMS is used unless an environment brings its own key.
    const createKey = sameList(kms, created) ? this.useKms : env.condition(['CreateEncryptionKey'], created);
    this.createKey = createKey;
    this.keyCreated = created;

    if (createKey.kind !== 'never') {
      const alias = env.each((i) => this.specs[i]!.kmsKeyAlias);
      this.addResource(logicalIds.encryptionKey, createKey, {
        Type: 'AWS::KMS::Key',
        Properties: {
          Description: env.value(ENVIRONMENT_MAPPING, 'KmsKeyDescription', alias.map((name) => name && environmentKeyDescription(name))),
          EnableKeyRotation: true,
          PendingWindowInDays: KMS_KEY_DELETION_WINDOW_DAYS,
          // The account templates' placeholders are pseudo parameters: Fn::Sub fills them.
          KeyPolicy: cfnPolicy(
            environmentKeyPolicy({
              accountRootArn: sub(ACCOUNT_ROOT_ARN),
              accountId: ref('AWS::AccountId'),
              logsServicePrincipal: sub(LOGS_SERVICE_PRINCIPAL),
              logGroupsArn: sub(ACCOUNT_LOG_GROUPS_ARN),
            }),
          ),
          Tags: this.tags(ENVIRONMENT_MAPPING, env.each((i) => (created[i] ? this.specs[i]!.tags : undefined))),
        },
      });
      this.addResource(logicalIds.encryptionKeyAlias, createKey, {
        Type: 'AWS::KMS::Alias',
        Properties: {
          AliasName: env.value(ENVIRONMENT_MAPPING, 'KmsKeyAlias', alias),
          TargetKeyId: ref(logicalIds.encryptionKey),
        },
      });
    }

    const existingKeyArn = env.each((i) => {
      const encryption = this.specs[i]!.encryption;
      return encryption.type === 'kms' ? encryption.keyArn : undefined;
    });
    const kmsEnvironments = kms.filter(Boolean).length;
    const createdInKmsEnvironments = created.filter(Boolean).length;
    if (kmsEnvironments === 0) this.kmsKeyArn = NO_VALUE;
    else if (createdInKmsEnvironments === 0) this.kmsKeyArn = env.value(ENVIRONMENT_MAPPING, 'KmsKeyArn', existingKeyArn);
    else if (createdInKmsEnvironments === kmsEnvironments) this.kmsKeyArn = getAtt(logicalIds.encryptionKey, 'Arn');
    else this.kmsKeyArn = env.choose(createKey, getAtt(logicalIds.encryptionKey, 'Arn'), () => env.value(ENVIRONMENT_MAPPING, 'KmsKeyArn', existingKeyArn));
  }

  private renderAlertTopic(): void {
    const { env } = this;
    const created = this.specs.map((spec) => spec.alerts.topicName !== undefined);
    const createTopic = env.condition(['CreateAlertTopic'], created);
    const topicArn = ref(logicalIds.alertTopic);
    if (createTopic.kind !== 'never') {
      this.addResource(logicalIds.alertTopic, createTopic, {
        Type: 'AWS::SNS::Topic',
        Properties: {
          TopicName: env.value(ENVIRONMENT_MAPPING, 'AlertTopicName', env.each((i) => this.specs[i]!.alerts.topicName)),
          // CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key, so the
          // topic is encrypted only with the environment's customer-managed key (see AlertTopic).
          KmsMasterKeyId: env.choose(this.useKms, this.kmsKeyArn, NO_VALUE),
          Tags: this.tags(ENVIRONMENT_MAPPING, env.each((i) => (created[i] ? this.specs[i]!.tags : undefined))),
        },
      });
      this.addResource(logicalIds.alertTopicPolicy, createTopic, {
        Type: 'AWS::SNS::TopicPolicy',
        Properties: {
          Topics: [topicArn],
          PolicyDocument: cfnPolicy(alertTopicPolicy(topicArn, ref('AWS::AccountId'))),
        },
      });
    }
    const existing = () => env.value(ENVIRONMENT_MAPPING, 'ExistingAlertTopicArn', env.each((i) => this.specs[i]!.alerts.existingTopicArn));
    this.alertTopicArn = env.choose(createTopic, topicArn, existing);
  }

  // ───────────────────────────────────────────── queues ─────────────────────────────────────────────

  private renderQueue(name: string): void {
    const { env } = this;
    const queues = this.specs.map((spec) => spec.queues.find((queue) => queue.name === name)!);
    const mapping = `${pascalCase(name)}QueueSettings`;
    const value = <T extends string | number | boolean>(key: string, f: (queue: ResolvedQueue) => T | undefined) =>
      env.value(mapping, key, queues.map(f));
    const queueId = logicalIds.queue(name);
    const dlqId = logicalIds.deadLetterQueue(name);
    const queueName = value('QueueName', (q) => q.queueName);

    // Encryption: the queue's own resolved setting (the environment's, unless the spec says otherwise).
    const useKms = env.condition(['UseKmsEncryption', `${pascalCase(name)}UseKmsEncryption`], queues.map((q) => q.encryption.type === 'kms'));
    const encryption = {
      KmsMasterKeyId: env.choose(useKms, this.kmsKeyArn, NO_VALUE),
      KmsDataKeyReusePeriodSeconds: env.choose(
        useKms,
        () => value('KmsDataKeyReusePeriodSeconds', (q) => (q.encryption.type === 'kms' ? q.encryption.dataKeyReusePeriodSeconds : undefined)),
        NO_VALUE,
      ),
      SqsManagedSseEnabled: env.choose(useKms, NO_VALUE, true),
    };
    const fifo = env.condition([`${pascalCase(name)}Fifo`], queues.map((q) => q.fifo));
    const fifoProperties = {
      FifoQueue: env.choose(fifo, true, NO_VALUE),
      ContentBasedDeduplication: env.choose(fifo, () => value('ContentBasedDeduplication', (q) => q.fifoSettings?.contentBasedDeduplication), NO_VALUE),
      DeduplicationScope: env.choose(fifo, () => value('DeduplicationScope', (q) => q.fifoSettings?.deduplicationScope), NO_VALUE),
      FifoThroughputLimit: env.choose(fifo, () => value('FifoThroughputLimit', (q) => q.fifoSettings?.fifoThroughputLimit), NO_VALUE),
    };

    this.addResource(dlqId, { kind: 'always' }, {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: value('DeadLetterQueueName', (q) => q.deadLetterQueueName),
        MessageRetentionPeriod: value('DeadLetterRetentionSeconds', (q) => q.deadLetterRetentionSeconds),
        // Same size limit as the source: every message that fits there must fit here.
        MaximumMessageSize: value('MaximumMessageSize', (q) => q.maximumMessageSizeBytes),
        ReceiveMessageWaitTimeSeconds: value('ReceiveWaitTimeSeconds', (q) => q.receiveWaitTimeSeconds),
        ...encryption,
        ...fifoProperties,
        // Inline on the DLQ, naming its source by ARN built from the name: a GetAtt of the source
        // queue would make a cycle (the source's redrive policy already references this DLQ).
        RedriveAllowPolicy: {
          redrivePermission: 'byQueue',
          sourceQueueArns: [sub('arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}', { QueueName: queueName })],
        },
        Tags: this.tags(mapping, queues.map((q) => ({ ...q.tags, Role: 'dead-letter-queue' }))),
      },
    });
    this.addResource(queueId, { kind: 'always' }, {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: queueName,
        VisibilityTimeout: value('VisibilityTimeoutSeconds', (q) => q.visibilityTimeoutSeconds),
        MessageRetentionPeriod: value('MessageRetentionSeconds', (q) => q.messageRetentionSeconds),
        DelaySeconds: value('DeliveryDelaySeconds', (q) => q.deliveryDelaySeconds),
        ReceiveMessageWaitTimeSeconds: value('ReceiveWaitTimeSeconds', (q) => q.receiveWaitTimeSeconds),
        MaximumMessageSize: value('MaximumMessageSize', (q) => q.maximumMessageSizeBytes),
        RedrivePolicy: {
          deadLetterTargetArn: getAtt(dlqId, 'Arn'),
          maxReceiveCount: value('MaxReceiveCount', (q) => q.maxReceiveCount),
        },
        ...encryption,
        ...fifoProperties,
        Tags: this.tags(mapping, queues.map((q) => ({ ...q.tags, Role: 'queue' }))),
      },
    });

    for (const [policyId, target] of [
      [logicalIds.queuePolicy(name), queueId],
      [logicalIds.deadLetterQueuePolicy(name), dlqId],
    ] as const) {
      this.addResource(policyId, { kind: 'always' }, {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: {
          Queues: [ref(target)],
          PolicyDocument: cfnPolicy(tlsOnlyQueuePolicy(getAtt(target, 'Arn'))),
        },
      });
    }

    const queueArn = getAtt(queueId, 'Arn');
    // The KMS statements exist only where the queue uses the key.
    const key = { arn: this.kmsKeyArn, included: (statement: PolicyStatement<CfnValue>) => env.choose(useKms, asCfnValue(statement), NO_VALUE) };
    this.addResource(logicalIds.sendPolicy(name), { kind: 'always' }, {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        ManagedPolicyName: value('SendPolicyName', (q) => policyName(q.environment, q.name, 'send')),
        Description: value('SendPolicyDescription', (q) => sendPolicyDescription(q.queueName)),
        PolicyDocument: cfnPolicy(queueSendPolicy(queueArn, key)),
      },
    });
    this.addResource(logicalIds.consumePolicy(name), { kind: 'always' }, {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        ManagedPolicyName: value('ConsumePolicyName', (q) => policyName(q.environment, q.name, 'consume')),
        Description: value('ConsumePolicyDescription', (q) => consumePolicyDescription(q.queueName)),
        PolicyDocument: cfnPolicy(queueConsumePolicy(queueArn, key)),
      },
    });

    for (const kind of Object.keys(ALARM_KINDS) as AlarmKind[]) this.renderAlarm(name, kind, queues, mapping);
  }

  private renderAlarm(name: string, kind: AlarmKind, queues: readonly ResolvedQueue[], mapping: string): void {
    const { env } = this;
    const alarms = queues.map((queue) => queue.alarms[kind]);
    const key = ALARM_KINDS[kind].mappingKey;
    const exists = env.condition([`${pascalCase(name)}${key}Enabled`], alarms.map((alarm) => alarm !== undefined));
    if (exists.kind === 'never') return;
    const value = <T extends string | number | boolean>(field: string, f: (alarm: ResolvedAlarm) => T) =>
      env.value(mapping, `${key}${field}`, alarms.map((alarm) => alarm && f(alarm)));
    const okActions = env.condition(['AlarmOkActions'], this.specs.map((spec) => spec.alerts.okActions));
    this.addResource(logicalIds.alarm(name, kind), exists, {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: value('Name', (a) => a.alarmName),
        AlarmDescription: value('Description', (a) => a.description),
        Namespace: value('Namespace', (a) => a.namespace),
        MetricName: value('MetricName', (a) => a.metricName),
        Dimensions: [{ Name: 'QueueName', Value: value('QueueName', (a) => a.queueName) }],
        Statistic: value('Statistic', (a) => a.statistic),
        Period: value('PeriodSeconds', (a) => a.periodSeconds),
        EvaluationPeriods: value('EvaluationPeriods', (a) => a.evaluationPeriods),
        DatapointsToAlarm: value('DatapointsToAlarm', (a) => a.datapointsToAlarm),
        Threshold: value('Threshold', (a) => a.threshold),
        ComparisonOperator: value('ComparisonOperator', (a) => a.comparisonOperator),
        TreatMissingData: value('TreatMissingData', (a) => a.treatMissingData),
        ActionsEnabled: env.value(ENVIRONMENT_MAPPING, 'AlarmActionsEnabled', this.specs.map((spec) => spec.alerts.actionsEnabled)),
        AlarmActions: [this.alertTopicArn],
        OKActions: env.choose(okActions, [this.alertTopicArn], NO_VALUE),
        Tags: this.tags(mapping, queues.map((queue, i) => (alarms[i] ? queue.tags : undefined))),
      },
    });
  }

  // ──────────────────────────────────────────── functions ────────────────────────────────────────────

  private renderFunction(name: string): void {
    const { env } = this;
    const fns = this.specs.map((spec) => spec.functions.find((fn) => fn.name === name)!);
    const first = fns[0]!;
    // The wiring is topology, the same everywhere; only settings vary by environment.
    sameAcrossEnvironments(fns, `function "${name}" wiring`, (fn) => [fn.consumes?.queue ?? '', ...fn.publishesTo, String(fn.functionUrl), ...Object.entries(fn.queueUrlVariables).flat()]);
    const mapping = `${pascalCase(name)}Settings`;
    const value = <T extends string | number | boolean>(key: string, f: (fn: ResolvedFunction) => T | undefined) =>
      env.value(mapping, key, fns.map(f));
    const logGroupId = logicalIds.logGroup(name);
    const roleId = logicalIds.role(name);
    const functionId = logicalIds.function(name);
    const tags = this.tags(mapping, fns.map((fn) => fn.tags));

    // The spec encrypts log groups with the environment key exactly where the environment creates it.
    const encryptLogs = fns.map((fn) => fn.logEncryption === 'environment-key');
    if (!sameList(encryptLogs, this.keyCreated)) {
      throw new Error(`function "${name}": log groups can be encrypted only with a key the template creates (${JSON.stringify(encryptLogs)} vs ${JSON.stringify(this.keyCreated)})`);
    }
    this.addResource(logGroupId, { kind: 'always' }, {
      Type: 'AWS::Logs::LogGroup',
      Properties: {
        LogGroupName: value('LogGroupName', (fn) => fn.logGroupName),
        RetentionInDays: value('LogRetentionDays', (fn) => fn.logRetentionDays),
        KmsKeyId: env.choose(this.createKey, () => getAtt(logicalIds.encryptionKey, 'Arn'), NO_VALUE),
        Tags: tags,
      },
    });

    const tracing = env.condition(['Tracing', `${pascalCase(name)}Tracing`], fns.map((fn) => fn.tracing));
    this.addResource(roleId, { kind: 'always' }, {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: value('RoleName', (fn) => roleName(fn.functionName)),
        Description: value('RoleDescription', (fn) => roleDescription(fn.functionName)),
        AssumeRolePolicyDocument: cfnPolicy(lambdaTrustPolicy()),
        Policies: [
          {
            PolicyName: FUNCTION_BASE_POLICY_NAME,
            // The log group's Arn attribute already ends in `:*`: it covers the group's streams.
            PolicyDocument: cfnPolicy(
              functionBasePolicy(getAtt(logGroupId, 'Arn'), (statement: PolicyStatement<CfnValue>) => env.choose(tracing, asCfnValue(statement), NO_VALUE)),
            ),
          },
        ],
        // Its only queue rights: send to what it publishes to, consume what it reads.
        ManagedPolicyArns: [
          ...first.publishesTo.map((queue) => ref(logicalIds.sendPolicy(queue))),
          ...(first.consumes ? [ref(logicalIds.consumePolicy(first.consumes.queue))] : []),
        ],
        Tags: tags,
      },
    });

    const codeDirectories = sameAcrossEnvironments(fns, `function "${name}" code`, (fn) => [this.options.codeDirectory(fn)]);
    const variables: Record<string, CfnValue> = {};
    const variableNames = [...new Set([...Object.keys(first.environmentVariables), ...Object.keys(first.queueUrlVariables)])].sort();
    for (const variable of variableNames) {
      const queue = first.queueUrlVariables[variable];
      variables[variable] =
        queue !== undefined ? ref(logicalIds.queue(queue)) : value(`Variable${pascalCase(variable.toLowerCase())}`, (fn) => fn.environmentVariables[variable]);
    }
    const reserved = env.condition([`${pascalCase(name)}ReservedConcurrency`], fns.map((fn) => fn.reservedConcurrency !== undefined));
    this.addResource(functionId, { kind: 'always' }, {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: value('FunctionName', (fn) => fn.functionName),
        Description: value('Description', (fn) => fn.description),
        Role: getAtt(roleId, 'Arn'),
        Runtime: value('Runtime', (fn) => fn.runtime),
        Architectures: [value('Architecture', (fn) => fn.architecture)],
        Handler: value('Handler', (fn) => fn.handler),
        // A local folder: `aws cloudformation package` zips it, uploads it and writes S3Bucket/S3Key.
        Code: toPosix(path.relative(this.options.templateDirectory, codeDirectories[0]!)),
        Timeout: value('TimeoutSeconds', (fn) => fn.timeoutSeconds),
        MemorySize: value('MemorySizeMb', (fn) => fn.memorySizeMb),
        ReservedConcurrentExecutions: env.choose(reserved, () => value('ReservedConcurrency', (fn) => fn.reservedConcurrency), NO_VALUE),
        Environment: { Variables: variables },
        TracingConfig: { Mode: value('TracingMode', (fn) => (fn.tracing ? 'Active' : 'PassThrough')) },
        // Powertools already writes JSON lines; JSON format keeps Lambda's own lines structured too.
        LoggingConfig: { LogFormat: 'JSON', LogGroup: ref(logGroupId) },
        Tags: tags,
      },
    });

    if (first.functionUrl) {
      this.addResource(logicalIds.functionUrl(name), { kind: 'always' }, {
        Type: 'AWS::Lambda::Url',
        // Callers sign with SigV4; anonymous access would let anyone invoke the function.
        Properties: { AuthType: 'AWS_IAM', TargetFunctionArn: getAtt(functionId, 'Arn') },
      });
    }

    if (first.consumes) {
      const consumers = fns.map((fn) => fn.consumes!);
      const consumerValue = <T extends string | number | boolean>(key: string, f: (c: (typeof consumers)[number]) => T | undefined) =>
        env.value(mapping, key, consumers.map(f));
      const limited = env.condition([`${pascalCase(name)}MaximumConcurrency`], consumers.map((c) => c.maximumConcurrency !== undefined));
      this.addResource(logicalIds.eventSourceMapping(name), { kind: 'always' }, {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          EventSourceArn: getAtt(logicalIds.queue(first.consumes.queue), 'Arn'),
          FunctionName: getAtt(functionId, 'Arn'),
          BatchSize: consumerValue('BatchSize', (c) => c.batchSize),
          MaximumBatchingWindowInSeconds: consumerValue('MaximumBatchingWindowSeconds', (c) => c.maximumBatchingWindowSeconds),
          // One bad record must not redeliver its whole batch.
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          ScalingConfig: env.choose(limited, () => ({ MaximumConcurrency: consumerValue('MaximumConcurrency', (c) => c.maximumConcurrency) }), NO_VALUE),
        },
      });
    }
  }

  // ──────────────────────────────────────────── outputs ────────────────────────────────────────────

  private renderOutputs(): void {
    for (const name of this.queueNames) {
      const values: Record<(typeof QUEUE_OUTPUTS)[number]['what'], CfnValue> = {
        queue_url: ref(logicalIds.queue(name)),
        queue_arn: getAtt(logicalIds.queue(name), 'Arn'),
        dlq_url: ref(logicalIds.deadLetterQueue(name)),
        dlq_arn: getAtt(logicalIds.deadLetterQueue(name), 'Arn'),
        send_policy_arn: ref(logicalIds.sendPolicy(name)),
        consume_policy_arn: ref(logicalIds.consumePolicy(name)),
      };
      for (const output of QUEUE_OUTPUTS) {
        const id = logicalIds.queueOutput(name, output.exportSuffix);
        this.outputs[id] = {
          Description: output.describe(name),
          Value: values[output.what],
          Export: { Name: sub(`\${${ENVIRONMENT_PARAMETER}}-${id}`) },
        };
      }
    }
    this.outputs[ALERT_TOPIC_OUTPUT.exportSuffix] = {
      Description: ALERT_TOPIC_OUTPUT_DESCRIPTION,
      Value: this.alertTopicArn,
      Export: { Name: sub(`\${${ENVIRONMENT_PARAMETER}}-${ALERT_TOPIC_OUTPUT.exportSuffix}`) },
    };
    // The topology is the same everywhere (checked in renderFunction): the first spec says which.
    for (const fn of this.specs[0]!.functions.filter((f) => f.functionUrl)) {
      const id = logicalIds.functionUrlOutput(fn.name);
      this.outputs[id] = {
        Description: functionUrlOutputDescription(fn.name),
        Value: getAtt(logicalIds.functionUrl(fn.name), 'FunctionUrl'),
        Export: { Name: sub(`\${${ENVIRONMENT_PARAMETER}}-${id}`) },
      };
    }
  }

  // ──────────────────────────────────────────── helpers ────────────────────────────────────────────

  private addResource(id: string, condition: ConditionRef, resource: CfnResource): void {
    if (this.resources[id]) throw new Error(`two resources would have the logical id ${id}; rename a queue or function`);
    if (condition.kind === 'never') return;
    this.resources[id] = withoutNoValues({
      Type: resource.Type,
      ...(condition.kind === 'some' ? { Condition: condition.name } : {}),
      ...(resource.DependsOn ? { DependsOn: resource.DependsOn } : {}),
      Properties: resource.Properties,
    } as unknown as CfnValue) as unknown as CfnResource;
  }

  /**
   * Tags as a CloudFormation list, sorted by key. A tag whose values are the environment-wide tag's
   * values (Environment, CostCenter, …) is looked up in the environment mapping, others in `mapping`;
   * a tag present in some environments only is conditional. `undefined` marks environments where
   * the resource does not exist.
   */
  private tags(mapping: string, perEnvironment: PerEnvironment<Readonly<Record<string, string>>>): CfnValue {
    const { env } = this;
    const keys = [...new Set(perEnvironment.flatMap((tags) => (tags ? Object.keys(tags) : [])))].sort();
    return keys.map((key) => {
      const values = perEnvironment.map((tags) => tags?.[key]);
      const applicable = perEnvironment.map((tags) => tags !== undefined);
      const environmentWide = values.every((item, i) => !applicable[i] || item === this.specs[i]!.tags[key]);
      const mappingKey = `Tag${pascalCase(key)}`;
      const value = environmentWide
        ? env.value(ENVIRONMENT_MAPPING, mappingKey, this.specs.map((spec) => spec.tags[key]))
        : env.value(mapping, mappingKey, values);
      const everywhere = values.every((item, i) => !applicable[i] || item !== undefined);
      const present = everywhere ? ({ kind: 'always' } as const) : env.condition([`Has${mappingKey}`, `${mapping}Has${mappingKey}`], values.map((item) => item !== undefined));
      return env.choose(present, { Key: key, Value: value }, NO_VALUE);
    });
  }
}

/** A document the spec layer built with intrinsics as references: a template value as it is. */
function cfnPolicy<S>(document: PolicyDocument<S>): CfnValue {
  return asCfnValue(document);
}

/** The spec's policy types are interfaces (no index signature); their content is template values. */
function asCfnValue(value: object): CfnValue {
  return value as unknown as CfnValue;
}

/** The list `f` gives must be the same in every environment (the topology is); returns it. */
function sameAcrossEnvironments<S extends { environment: string }>(items: readonly S[], what: string, f: (item: S) => readonly string[]): readonly string[] {
  const first = f(items[0]!);
  for (const item of items.slice(1)) {
    const other = f(item);
    if (!sameList(first, other)) {
      throw new Error(`${what} differ between environments (${items[0]!.environment}: ${first.join(', ')}; ${item.environment}: ${other.join(', ')}); one template needs the same topology everywhere`);
    }
  }
  return first;
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}
