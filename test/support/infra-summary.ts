/**
 * Reduces a synthesized Terraform stack and a CloudFormation template (evaluated for one
 * environment) to the same normalized summary, so the two renderings of one spec can be compared.
 *
 * References are reduced to logical identities on both sides: `${aws_sqs_queue.<id>.arn}` and
 * `Fn::GetAtt: [OrderQueue, Arn]` both become `{{queue:production-order-queue.arn}}`; a reference to
 * a name becomes the name itself; the account, region and partition become `{{AWS::AccountId}}`
 * etc.; an ARN assembled from those (`arn:{{AWS::Partition}}:sqs:…:<name>`) becomes the queue's ARN
 * identity. Every property of every resource is either summarized or explicitly ignored (with the
 * reason): an unknown resource type or property throws, so nothing escapes the comparison.
 */
import { ALERT_TOPIC_OUTPUT, functionUrlOutputName, outputName, QUEUE_OUTPUTS, type EnvironmentName, type ResolvedEnvironment } from '../../constructs/spec';
import { evaluateTemplate, logicalIds, type CfnResource, type CfnTemplate } from '../../templates/render';
import type { TerraformJson } from './synth';

type Json = unknown;
type Props = Record<string, Json>;

export interface NormalizedStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Principal?: Json;
  readonly Action: readonly string[];
  readonly Resource?: readonly string[];
  readonly Condition?: Json;
}

export interface InfraSummary {
  queues: Record<string, Props>;
  queuePolicies: Record<string, NormalizedStatement[]>;
  managedPolicies: Record<string, Props>;
  alarms: Record<string, Props>;
  topics: Record<string, Props>;
  topicPolicies: Record<string, NormalizedStatement[]>;
  keys: Record<string, Props>;
  keyAliases: Record<string, Json>;
  logGroups: Record<string, Props>;
  roles: Record<string, Props & { inlinePolicies: Record<string, NormalizedStatement[]>; managedPolicies: string[] }>;
  functions: Record<string, Props>;
  functionUrls: Record<string, Props>;
  eventSourceMappings: Record<string, Props>;
  outputs: Record<string, Json>;
}

function emptySummary(): InfraSummary {
  return {
    queues: {},
    queuePolicies: {},
    managedPolicies: {},
    alarms: {},
    topics: {},
    topicPolicies: {},
    keys: {},
    keyAliases: {},
    logGroups: {},
    roles: {},
    functions: {},
    functionUrls: {},
    eventSourceMappings: {},
    outputs: {},
  };
}

// ───────────────────────────────────────── tokens and identities ─────────────────────────────────────────

const token = (kind: string, name: string, attribute: string) => `{{${kind}:${name}.${attribute}}}`;
const TOKEN = /^\{\{([a-z-]+):(.+)\.([a-z]+)\}\}$/;

/** The name inside a reference token (or the value itself when it is already a name). */
export function nameOf(value: Json): string {
  const text = String(value);
  return TOKEN.exec(text)?.[2] ?? text;
}

/** `{{function:x.arn}}` → `function:x`: what a reference points at, whatever attribute it reads. */
function identityOf(value: Json): string {
  const match = TOKEN.exec(String(value));
  return match ? `${match[1]}:${match[2]}` : String(value);
}

/** Applies to every string on both sides: ARNs assembled from pseudo parameters become identities. */
function canonical(text: string): string {
  return text.replace(/^arn:\{\{AWS::Partition\}\}:sqs:\{\{AWS::Region\}\}:\{\{AWS::AccountId\}\}:([A-Za-z0-9_.-]+)$/, (_, name: string) => token('queue', name, 'arn'));
}

function mapStrings(value: Json, f: (text: string) => string): Json {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, f));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  return value;
}

// ─────────────────────────────────────────── shared normalizers ───────────────────────────────────────────

/** Takes the listed keys out of `props`; throws on any key that is neither taken nor ignored. */
function take(where: string, props: Props, keys: readonly string[], ignored: readonly string[] = []): Props {
  const unknown = Object.keys(props).filter((key) => !keys.includes(key) && !ignored.includes(key));
  if (unknown.length > 0) throw new Error(`${where}: properties not covered by the summary: ${unknown.join(', ')}`);
  return Object.fromEntries(keys.filter((key) => props[key] !== undefined).map((key) => [key, props[key]]));
}

const parsed = (value: Json): Json => (typeof value === 'string' ? JSON.parse(value) : value);
const sortedList = (value: Json): string[] => (value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String).sort());

export function normalizePolicy(document: Json): NormalizedStatement[] {
  const doc = parsed(document) as { Version?: string; Statement?: Json };
  if (doc.Version !== '2012-10-17') throw new Error(`policy without Version 2012-10-17: ${JSON.stringify(doc)}`);
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as Props[];
  return statements
    .map((statement) => {
      const s = take('policy statement', statement, ['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'Condition']);
      const principal = s.Principal;
      return {
        ...(s.Sid !== undefined ? { Sid: String(s.Sid) } : {}),
        Effect: String(s.Effect),
        ...(principal !== undefined
          ? { Principal: typeof principal === 'string' ? principal : Object.fromEntries(Object.entries(principal as Props).map(([k, v]) => [k, sortedList(v)])) }
          : {}),
        Action: sortedList(s.Action),
        ...(s.Resource !== undefined ? { Resource: sortedList(s.Resource) } : {}),
        ...(s.Condition !== undefined ? { Condition: s.Condition } : {}),
      };
    })
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

const tagsFromList = (tags: Json): Record<string, string> | undefined =>
  tags === undefined ? undefined : Object.fromEntries((tags as { Key: string; Value: string }[]).map((tag) => [tag.Key, tag.Value]));

function put<T>(where: string, record: Record<string, T>, key: string, value: T): void {
  if (key in record) throw new Error(`${where}: two entries for ${key}`);
  record[key] = value;
}

function redrive(value: Json): Props | undefined {
  if (value === undefined) return undefined;
  const policy = parsed(value) as Props;
  return take('redrive policy', policy, ['deadLetterTargetArn', 'maxReceiveCount']);
}

function redriveAllow(value: Json): Props | undefined {
  if (value === undefined) return undefined;
  const policy = take('redrive-allow policy', parsed(value) as Props, ['redrivePermission', 'sourceQueueArns']);
  return { ...policy, ...(policy.sourceQueueArns !== undefined ? { sourceQueueArns: sortedList(policy.sourceQueueArns) } : {}) };
}

function renameKeys(props: Props, names: Record<string, string>): Props {
  return Object.fromEntries(Object.entries(props).map(([key, value]) => [names[key] ?? key, value]));
}

function defined(props: Props): Props {
  return Object.fromEntries(Object.entries(props).filter(([, value]) => value !== undefined));
}

// ───────────────────────────────────────────────── Terraform ─────────────────────────────────────────────────

const TF_NAME_ATTRIBUTE: Record<string, { kind: string; name: string }> = {
  aws_sqs_queue: { kind: 'queue', name: 'name' },
  aws_sns_topic: { kind: 'topic', name: 'name' },
  aws_iam_policy: { kind: 'policy', name: 'name' },
  aws_iam_role: { kind: 'role', name: 'name' },
  aws_cloudwatch_log_group: { kind: 'log-group', name: 'name' },
  aws_lambda_function: { kind: 'function', name: 'function_name' },
};
/** Terraform attribute → summary attribute; `name` means "the name itself". */
const TF_ATTRIBUTES: Record<string, string> = { arn: 'arn', url: 'url', id: 'id', key_id: 'id', name: 'name', function_name: 'name', function_url: 'url' };
const TF_DATA: Record<string, string> = {
  'aws_caller_identity.account_id': '{{AWS::AccountId}}',
  'aws_partition.partition': '{{AWS::Partition}}',
  'aws_region.name': '{{AWS::Region}}',
  'aws_region.region': '{{AWS::Region}}',
};

/** Replaces Terraform references with identities. */
function terraformTokens(json: TerraformJson): (text: string) => string {
  const identities = new Map<string, { kind: string; name: string }>();
  for (const [type, naming] of Object.entries(TF_NAME_ATTRIBUTE)) {
    for (const [id, resource] of Object.entries(json.resource[type] ?? {})) identities.set(`${type}.${id}`, { kind: naming.kind, name: String(resource[naming.name]) });
  }
  // A KMS key is known by its alias.
  for (const alias of Object.values(json.resource.aws_kms_alias ?? {})) {
    const target = /^\$\{(aws_kms_key\.[\w-]+)\.key_id\}$/.exec(String(alias.target_key_id))?.[1];
    if (target) identities.set(target, { kind: 'kms-key', name: String(alias.name) });
  }
  // A function URL is known by its function's name.
  for (const [id, url] of Object.entries(json.resource.aws_lambda_function_url ?? {})) {
    const target = /^\$\{(aws_lambda_function\.[\w-]+)\.(?:function_name|arn)\}$/.exec(String(url.function_name))?.[1];
    const fn = target ? identities.get(target) : undefined;
    if (fn) identities.set(`aws_lambda_function_url.${id}`, { kind: 'function-url', name: fn.name });
  }
  return (text) =>
    canonical(
      text.replace(/\$\{([^}]+)\}/g, (whole, expression: string) => {
        const data = /^data\.(\w+)\.[\w-]+\.(\w+)$/.exec(expression);
        if (data) {
          const replacement = TF_DATA[`${data[1]}.${data[2]}`];
          if (!replacement) throw new Error(`unknown data reference ${whole}`);
          return replacement;
        }
        const match = /^(\w+\.[\w-]+)\.(\w+)$/.exec(expression);
        const identity = match && identities.get(match[1]!);
        const attribute = match && TF_ATTRIBUTES[match[2]!];
        if (!identity || !attribute) throw new Error(`cannot reduce the Terraform reference ${whole}`);
        return attribute === 'name' ? identity.name : token(identity.kind, identity.name, attribute);
      }),
    );
}

/** Terraform fields that carry no meaning for the comparison, with the reason. */
const TF_IGNORED = {
  /** Ordering hints; CloudFormation derives order from references. */
  dependsOn: 'depends_on',
  /** The asset zip's path and hash; the CloudFormation template points at the same bundle folder (checked by the spec test). */
  code: ['filename', 'source_code_hash'],
};

export function summarizeTerraform(json: TerraformJson): InfraSummary {
  const tokens = terraformTokens(json);
  const summary = emptySummary();
  const inline: { role: string; name: string; statements: NormalizedStatement[] }[] = [];
  const attachments: { role: string; policy: string }[] = [];

  for (const [type, resources] of Object.entries(json.resource)) {
    for (const [id, raw] of Object.entries(resources)) {
      const where = `${type}.${id}`;
      const r = mapStrings(raw, tokens) as Props;
      switch (type) {
        case 'aws_sqs_queue': {
          const p = take(where, r, [
            'name', 'visibility_timeout_seconds', 'message_retention_seconds', 'delay_seconds', 'receive_wait_time_seconds', 'max_message_size',
            'sqs_managed_sse_enabled', 'kms_master_key_id', 'kms_data_key_reuse_period_seconds', 'fifo_queue', 'content_based_deduplication',
            'deduplication_scope', 'fifo_throughput_limit', 'redrive_policy', 'redrive_allow_policy', 'tags',
          ]);
          put(where, summary.queues, String(p.name), defined({
            visibilityTimeoutSeconds: p.visibility_timeout_seconds,
            messageRetentionSeconds: p.message_retention_seconds,
            delaySeconds: p.delay_seconds,
            receiveWaitTimeSeconds: p.receive_wait_time_seconds,
            maximumMessageSize: p.max_message_size,
            sqsManagedSse: p.sqs_managed_sse_enabled,
            kmsMasterKey: p.kms_master_key_id,
            kmsDataKeyReusePeriodSeconds: p.kms_data_key_reuse_period_seconds,
            fifo: p.fifo_queue,
            contentBasedDeduplication: p.content_based_deduplication,
            deduplicationScope: p.deduplication_scope,
            fifoThroughputLimit: p.fifo_throughput_limit,
            redrive: redrive(p.redrive_policy),
            redriveAllow: redriveAllow(p.redrive_allow_policy),
            tags: p.tags,
          }));
          break;
        }
        case 'aws_sqs_queue_redrive_allow_policy': {
          const p = take(where, r, ['queue_url', 'redrive_allow_policy']);
          // Applied after the queues are in (below).
          inline.push({ role: `redrive-allow:${nameOf(p.queue_url)}`, name: JSON.stringify(redriveAllow(p.redrive_allow_policy)), statements: [] });
          break;
        }
        case 'aws_sqs_queue_policy': {
          const p = take(where, r, ['queue_url', 'policy']);
          put(where, summary.queuePolicies, nameOf(p.queue_url), normalizePolicy(p.policy));
          break;
        }
        case 'aws_iam_policy': {
          const p = take(where, r, ['name', 'description', 'policy', 'tags']);
          // Tags left out: AWS::IAM::ManagedPolicy has no Tags property.
          put(where, summary.managedPolicies, String(p.name), defined({ description: p.description, statements: normalizePolicy(p.policy) }));
          break;
        }
        case 'aws_iam_role': {
          const p = take(where, r, ['name', 'description', 'assume_role_policy', 'tags']);
          put(where, summary.roles, String(p.name), {
            ...defined({ description: p.description, trust: normalizePolicy(p.assume_role_policy), tags: p.tags }),
            inlinePolicies: {},
            managedPolicies: [],
          });
          break;
        }
        case 'aws_iam_role_policy': {
          const p = take(where, r, ['name', 'role', 'policy']);
          inline.push({ role: String(p.role), name: String(p.name), statements: normalizePolicy(p.policy) });
          break;
        }
        case 'aws_iam_role_policy_attachment': {
          const p = take(where, r, ['role', 'policy_arn']);
          attachments.push({ role: String(p.role), policy: String(p.policy_arn) });
          break;
        }
        case 'aws_cloudwatch_metric_alarm': {
          const p = take(where, r, [
            'alarm_name', 'alarm_description', 'namespace', 'metric_name', 'dimensions', 'statistic', 'period', 'evaluation_periods',
            'datapoints_to_alarm', 'threshold', 'comparison_operator', 'treat_missing_data', 'actions_enabled', 'alarm_actions', 'ok_actions', 'tags',
          ]);
          put(where, summary.alarms, String(p.alarm_name), defined({
            description: p.alarm_description,
            namespace: p.namespace,
            metricName: p.metric_name,
            dimensions: p.dimensions,
            statistic: p.statistic,
            period: p.period,
            evaluationPeriods: p.evaluation_periods,
            datapointsToAlarm: p.datapoints_to_alarm,
            threshold: p.threshold,
            comparisonOperator: p.comparison_operator,
            treatMissingData: p.treat_missing_data,
            actionsEnabled: p.actions_enabled,
            alarmActions: sortedList(p.alarm_actions),
            okActions: sortedList(p.ok_actions),
            tags: p.tags,
          }));
          break;
        }
        case 'aws_sns_topic': {
          const p = take(where, r, ['name', 'kms_master_key_id', 'tags']);
          put(where, summary.topics, String(p.name), defined({ kmsMasterKey: p.kms_master_key_id, tags: p.tags }));
          break;
        }
        case 'aws_sns_topic_policy': {
          const p = take(where, r, ['arn', 'policy']);
          put(where, summary.topicPolicies, nameOf(p.arn), normalizePolicy(p.policy));
          break;
        }
        case 'aws_kms_key': {
          const p = take(where, r, ['description', 'enable_key_rotation', 'deletion_window_in_days', 'policy', 'tags']);
          const alias = Object.values(json.resource.aws_kms_alias ?? {}).find((a) => String(a.target_key_id).includes(`aws_kms_key.${id}.`));
          put(where, summary.keys, String(alias?.name ?? `unaliased:${id}`), defined({
            description: p.description,
            rotation: p.enable_key_rotation,
            deletionWindowDays: p.deletion_window_in_days,
            policy: normalizePolicy(p.policy),
            tags: p.tags,
          }));
          break;
        }
        case 'aws_kms_alias': {
          const p = take(where, r, ['name', 'target_key_id']);
          put(where, summary.keyAliases, String(p.name), p.target_key_id);
          break;
        }
        case 'aws_cloudwatch_log_group': {
          const p = take(where, r, ['name', 'retention_in_days', 'kms_key_id', 'tags']);
          put(where, summary.logGroups, String(p.name), defined({ retentionDays: p.retention_in_days, kmsKey: p.kms_key_id, tags: p.tags }));
          break;
        }
        case 'aws_lambda_function': {
          const p = take(
            where,
            r,
            ['function_name', 'description', 'role', 'runtime', 'architectures', 'handler', 'timeout', 'memory_size', 'reserved_concurrent_executions', 'environment', 'tracing_config', 'logging_config', 'tags'],
            [TF_IGNORED.dependsOn, ...TF_IGNORED.code],
          );
          const logging = p.logging_config as Props | undefined;
          put(where, summary.functions, String(p.function_name), defined({
            description: p.description,
            role: p.role,
            runtime: p.runtime,
            architectures: p.architectures,
            handler: p.handler,
            timeout: p.timeout,
            memorySize: p.memory_size,
            reservedConcurrency: p.reserved_concurrent_executions,
            environment: (p.environment as Props | undefined)?.variables,
            tracingMode: (p.tracing_config as Props | undefined)?.mode,
            logging: logging && renameKeys(take(`${where}.logging_config`, logging, ['log_format', 'log_group']), { log_format: 'format', log_group: 'logGroup' }),
            tags: p.tags,
          }));
          break;
        }
        case 'aws_lambda_function_url': {
          const p = take(where, r, ['function_name', 'authorization_type']);
          put(where, summary.functionUrls, nameOf(p.function_name), { authType: p.authorization_type });
          break;
        }
        case 'aws_lambda_event_source_mapping': {
          const p = take(
            where,
            r,
            ['function_name', 'event_source_arn', 'batch_size', 'maximum_batching_window_in_seconds', 'function_response_types', 'scaling_config'],
            [TF_IGNORED.dependsOn],
          );
          put(where, summary.eventSourceMappings, identityOf(p.function_name), defined({
            eventSource: p.event_source_arn,
            batchSize: p.batch_size,
            maximumBatchingWindowSeconds: p.maximum_batching_window_in_seconds,
            functionResponseTypes: p.function_response_types,
            maximumConcurrency: (p.scaling_config as Props | undefined)?.maximum_concurrency,
          }));
          break;
        }
        default:
          throw new Error(`${where}: resource type ${type} is not covered by the summary`);
      }
    }
  }
  for (const item of inline) {
    if (item.role.startsWith('redrive-allow:')) {
      const queue = summary.queues[item.role.slice('redrive-allow:'.length)];
      if (!queue || queue.redriveAllow) throw new Error(`redrive-allow policy for ${item.role} has no queue or is doubled`);
      queue.redriveAllow = JSON.parse(item.name);
      continue;
    }
    const role = summary.roles[item.role];
    if (!role) throw new Error(`inline policy ${item.name} for unknown role ${item.role}`);
    put(`inline policy of ${item.role}`, role.inlinePolicies, item.name, item.statements);
  }
  for (const attachment of attachments) {
    const role = summary.roles[attachment.role];
    if (!role) throw new Error(`policy attachment for unknown role ${attachment.role}`);
    role.managedPolicies = [...role.managedPolicies, attachment.policy].sort();
  }
  for (const [name, output] of Object.entries(json.output ?? {})) summary.outputs[name] = tokens(output.value);
  return summary;
}

// ─────────────────────────────────────────────── CloudFormation ───────────────────────────────────────────────

/** How CloudFormation resolves `Ref` and each `Fn::GetAtt` attribute, per type: a summary attribute (`name` = the name itself). */
const CFN_REFERENCES: Record<string, { kind: string; nameProperty: string; ref: string; attributes: Record<string, string> }> = {
  'AWS::SQS::Queue': { kind: 'queue', nameProperty: 'QueueName', ref: 'url', attributes: { Arn: 'arn', QueueName: 'name', QueueUrl: 'url' } },
  'AWS::SNS::Topic': { kind: 'topic', nameProperty: 'TopicName', ref: 'arn', attributes: { TopicArn: 'arn', TopicName: 'name' } },
  'AWS::IAM::ManagedPolicy': { kind: 'policy', nameProperty: 'ManagedPolicyName', ref: 'arn', attributes: { PolicyArn: 'arn' } },
  'AWS::IAM::Role': { kind: 'role', nameProperty: 'RoleName', ref: 'name', attributes: { Arn: 'arn' } },
  // The log group's Arn attribute is `arn:…:log-group:<name>:*` (Terraform's arn has no `:*`).
  'AWS::Logs::LogGroup': { kind: 'log-group', nameProperty: 'LogGroupName', ref: 'name', attributes: { Arn: 'arn:*' } },
  'AWS::Lambda::Function': { kind: 'function', nameProperty: 'FunctionName', ref: 'name', attributes: { Arn: 'arn' } },
  'AWS::KMS::Key': { kind: 'kms-key', nameProperty: '', ref: 'id', attributes: { Arn: 'arn', KeyId: 'id' } },
  // Known by its function's name (below); Ref is not used by the template.
  'AWS::Lambda::Url': { kind: 'function-url', nameProperty: '', ref: '', attributes: { FunctionUrl: 'url', FunctionArn: 'arn' } },
};

const PSEUDO = ['AWS::AccountId', 'AWS::Region', 'AWS::Partition'];

/** Evaluates `template` for `environment` and replaces references by identities. */
export function evaluateForSummary(template: CfnTemplate, environment: EnvironmentName) {
  const evaluated = evaluateTemplate(template, {
    parameters: { Environment: environment },
    pseudoParameter: (name) => {
      if (!PSEUDO.includes(name)) throw new Error(`pseudo parameter ${name} is not expected in this template`);
      return `{{${name}}}`;
    },
    resourceReference: (id, _resource: CfnResource, attribute) => `{{cfn:${id}${attribute ? `.${attribute}` : ''}}}`,
  });
  const names = new Map<string, string>();
  for (const [id, resource] of Object.entries(evaluated.resources)) {
    const naming = CFN_REFERENCES[resource.Type];
    if (naming?.nameProperty) names.set(id, String(resource.Properties[naming.nameProperty]));
  }
  for (const resource of Object.values(evaluated.resources)) {
    if (resource.Type !== 'AWS::KMS::Alias') continue;
    const target = /^\{\{cfn:(\w+)\}\}$/.exec(String(resource.Properties.TargetKeyId))?.[1];
    if (target) names.set(target, String(resource.Properties.AliasName));
  }
  for (const [id, resource] of Object.entries(evaluated.resources)) {
    if (resource.Type !== 'AWS::Lambda::Url') continue;
    const target = /^\{\{cfn:(\w+)\.Arn\}\}$/.exec(String(resource.Properties.TargetFunctionArn))?.[1];
    const name = target ? names.get(target) : undefined;
    if (name) names.set(id, name);
  }
  const resolve = (text: string) =>
    canonical(
      text.replace(/\{\{cfn:(\w+)(?:\.(\w+))?\}\}/g, (whole, id: string, attribute: string | undefined) => {
        const type = evaluated.resources[id]?.Type;
        const naming = type ? CFN_REFERENCES[type] : undefined;
        const name = names.get(id);
        const reads = naming && (attribute === undefined ? naming.ref : naming.attributes[attribute]);
        if (!naming || !name || !reads) throw new Error(`cannot reduce the CloudFormation reference ${whole} (${type})`);
        if (reads === 'name') return name;
        if (reads === 'arn:*') return `${token(naming.kind, name, 'arn')}:*`;
        return token(naming.kind, name, reads);
      }),
    );
  return {
    ...evaluated,
    /** Logical id → physical name (a KMS key's name is its alias). */
    names: names as ReadonlyMap<string, string>,
    resources: mapStrings(evaluated.resources, resolve) as typeof evaluated.resources,
    outputs: mapStrings(evaluated.outputs, resolve) as typeof evaluated.outputs,
  };
}

/** CloudFormation fields left out of the comparison, with the reason. */
const CFN_IGNORED = {
  /** A local folder `aws cloudformation package` uploads; the spec test checks it is the function's bundle. */
  code: 'Code',
};

/** `topology`: the environment's spec (or any spec of the template), for the outputs' Terraform names. */
export function summarizeCloudFormation(
  template: CfnTemplate,
  environment: EnvironmentName,
  topology: Pick<ResolvedEnvironment, 'queues' | 'functions'>,
): InfraSummary {
  const evaluated = evaluateForSummary(template, environment);
  const summary = emptySummary();

  for (const [id, resource] of Object.entries(evaluated.resources)) {
    const where = `${id} (${resource.Type})`;
    const r = resource.Properties;
    switch (resource.Type) {
      case 'AWS::SQS::Queue': {
        const p = take(where, r, [
          'QueueName', 'VisibilityTimeout', 'MessageRetentionPeriod', 'DelaySeconds', 'ReceiveMessageWaitTimeSeconds', 'MaximumMessageSize',
          'SqsManagedSseEnabled', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'FifoQueue', 'ContentBasedDeduplication',
          'DeduplicationScope', 'FifoThroughputLimit', 'RedrivePolicy', 'RedriveAllowPolicy', 'Tags',
        ]);
        put(where, summary.queues, String(p.QueueName), defined({
          visibilityTimeoutSeconds: p.VisibilityTimeout,
          messageRetentionSeconds: p.MessageRetentionPeriod,
          delaySeconds: p.DelaySeconds,
          receiveWaitTimeSeconds: p.ReceiveMessageWaitTimeSeconds,
          maximumMessageSize: p.MaximumMessageSize,
          sqsManagedSse: p.SqsManagedSseEnabled,
          kmsMasterKey: p.KmsMasterKeyId,
          kmsDataKeyReusePeriodSeconds: p.KmsDataKeyReusePeriodSeconds,
          fifo: p.FifoQueue,
          contentBasedDeduplication: p.ContentBasedDeduplication,
          deduplicationScope: p.DeduplicationScope,
          fifoThroughputLimit: p.FifoThroughputLimit,
          redrive: redrive(p.RedrivePolicy),
          redriveAllow: redriveAllow(p.RedriveAllowPolicy),
          tags: tagsFromList(p.Tags),
        }));
        break;
      }
      case 'AWS::SQS::QueuePolicy': {
        const p = take(where, r, ['Queues', 'PolicyDocument']);
        for (const queue of p.Queues as Json[]) put(where, summary.queuePolicies, nameOf(queue), normalizePolicy(p.PolicyDocument));
        break;
      }
      case 'AWS::IAM::ManagedPolicy': {
        const p = take(where, r, ['ManagedPolicyName', 'Description', 'PolicyDocument']);
        put(where, summary.managedPolicies, String(p.ManagedPolicyName), defined({ description: p.Description, statements: normalizePolicy(p.PolicyDocument) }));
        break;
      }
      case 'AWS::IAM::Role': {
        const p = take(where, r, ['RoleName', 'Description', 'AssumeRolePolicyDocument', 'Policies', 'ManagedPolicyArns', 'Tags']);
        put(where, summary.roles, String(p.RoleName), {
          ...defined({ description: p.Description, trust: normalizePolicy(p.AssumeRolePolicyDocument), tags: tagsFromList(p.Tags) }),
          inlinePolicies: Object.fromEntries(
            ((p.Policies ?? []) as Props[]).map((policy) => {
              const q = take(`${where} inline policy`, policy, ['PolicyName', 'PolicyDocument']);
              return [String(q.PolicyName), normalizePolicy(q.PolicyDocument)];
            }),
          ),
          managedPolicies: sortedList(p.ManagedPolicyArns),
        });
        break;
      }
      case 'AWS::CloudWatch::Alarm': {
        const p = take(where, r, [
          'AlarmName', 'AlarmDescription', 'Namespace', 'MetricName', 'Dimensions', 'Statistic', 'Period', 'EvaluationPeriods',
          'DatapointsToAlarm', 'Threshold', 'ComparisonOperator', 'TreatMissingData', 'ActionsEnabled', 'AlarmActions', 'OKActions', 'Tags',
        ]);
        put(where, summary.alarms, String(p.AlarmName), defined({
          description: p.AlarmDescription,
          namespace: p.Namespace,
          metricName: p.MetricName,
          dimensions: p.Dimensions && Object.fromEntries((p.Dimensions as { Name: string; Value: string }[]).map((d) => [d.Name, d.Value])),
          statistic: p.Statistic,
          period: p.Period,
          evaluationPeriods: p.EvaluationPeriods,
          datapointsToAlarm: p.DatapointsToAlarm,
          threshold: p.Threshold,
          comparisonOperator: p.ComparisonOperator,
          treatMissingData: p.TreatMissingData,
          actionsEnabled: p.ActionsEnabled,
          alarmActions: sortedList(p.AlarmActions),
          // Absent and empty mean the same: no OK notifications.
          okActions: sortedList(p.OKActions),
          tags: tagsFromList(p.Tags),
        }));
        break;
      }
      case 'AWS::SNS::Topic': {
        const p = take(where, r, ['TopicName', 'KmsMasterKeyId', 'Tags']);
        put(where, summary.topics, String(p.TopicName), defined({ kmsMasterKey: p.KmsMasterKeyId, tags: tagsFromList(p.Tags) }));
        break;
      }
      case 'AWS::SNS::TopicPolicy': {
        const p = take(where, r, ['Topics', 'PolicyDocument']);
        for (const topic of p.Topics as Json[]) put(where, summary.topicPolicies, nameOf(topic), normalizePolicy(p.PolicyDocument));
        break;
      }
      case 'AWS::KMS::Key': {
        const p = take(where, r, ['Description', 'EnableKeyRotation', 'PendingWindowInDays', 'KeyPolicy', 'Tags']);
        put(where, summary.keys, evaluated.names.get(id) ?? `unaliased:${id}`, defined({
          description: p.Description,
          rotation: p.EnableKeyRotation,
          deletionWindowDays: p.PendingWindowInDays,
          policy: normalizePolicy(p.KeyPolicy),
          tags: tagsFromList(p.Tags),
        }));
        break;
      }
      case 'AWS::KMS::Alias': {
        const p = take(where, r, ['AliasName', 'TargetKeyId']);
        put(where, summary.keyAliases, String(p.AliasName), p.TargetKeyId);
        break;
      }
      case 'AWS::Logs::LogGroup': {
        const p = take(where, r, ['LogGroupName', 'RetentionInDays', 'KmsKeyId', 'Tags']);
        put(where, summary.logGroups, String(p.LogGroupName), defined({ retentionDays: p.RetentionInDays, kmsKey: p.KmsKeyId, tags: tagsFromList(p.Tags) }));
        break;
      }
      case 'AWS::Lambda::Function': {
        const p = take(
          where,
          r,
          ['FunctionName', 'Description', 'Role', 'Runtime', 'Architectures', 'Handler', 'Timeout', 'MemorySize', 'ReservedConcurrentExecutions', 'Environment', 'TracingConfig', 'LoggingConfig', 'Tags'],
          [CFN_IGNORED.code],
        );
        const logging = p.LoggingConfig as Props | undefined;
        put(where, summary.functions, String(p.FunctionName), defined({
          description: p.Description,
          role: p.Role,
          runtime: p.Runtime,
          architectures: p.Architectures,
          handler: p.Handler,
          timeout: p.Timeout,
          memorySize: p.MemorySize,
          reservedConcurrency: p.ReservedConcurrentExecutions,
          environment: (p.Environment as Props | undefined)?.Variables,
          tracingMode: (p.TracingConfig as Props | undefined)?.Mode,
          logging: logging && renameKeys(take(`${where}.LoggingConfig`, logging, ['LogFormat', 'LogGroup']), { LogFormat: 'format', LogGroup: 'logGroup' }),
          tags: tagsFromList(p.Tags),
        }));
        break;
      }
      case 'AWS::Lambda::Url': {
        const p = take(where, r, ['TargetFunctionArn', 'AuthType']);
        put(where, summary.functionUrls, nameOf(p.TargetFunctionArn), { authType: p.AuthType });
        break;
      }
      case 'AWS::Lambda::EventSourceMapping': {
        const p = take(where, r, ['FunctionName', 'EventSourceArn', 'BatchSize', 'MaximumBatchingWindowInSeconds', 'FunctionResponseTypes', 'ScalingConfig']);
        put(where, summary.eventSourceMappings, identityOf(p.FunctionName), defined({
          eventSource: p.EventSourceArn,
          batchSize: p.BatchSize,
          maximumBatchingWindowSeconds: p.MaximumBatchingWindowInSeconds,
          functionResponseTypes: p.FunctionResponseTypes,
          maximumConcurrency: (p.ScalingConfig as Props | undefined)?.MaximumConcurrency,
        }));
        break;
      }
      default:
        throw new Error(`${where}: resource type not covered by the summary`);
    }
  }

  // Outputs under their Terraform names (`order_queue_url`), which apps read there.
  const outputNames = new Map<string, string>([[ALERT_TOPIC_OUTPUT.exportSuffix, ALERT_TOPIC_OUTPUT.what]]);
  for (const { name } of topology.queues) {
    for (const output of QUEUE_OUTPUTS) outputNames.set(logicalIds.queueOutput(name, output.exportSuffix), outputName(name, output.what));
  }
  for (const fn of topology.functions.filter((f) => f.functionUrl)) {
    outputNames.set(logicalIds.functionUrlOutput(fn.name), functionUrlOutputName(fn.name));
  }
  for (const [id, output] of Object.entries(evaluated.outputs)) {
    const name = outputNames.get(id);
    if (!name) throw new Error(`output ${id} has no Terraform counterpart`);
    summary.outputs[name] = output.Value;
  }
  return summary;
}

// ───────────────────────────────────────────────── comparison ─────────────────────────────────────────────────

/** Paths where two summaries differ, with both values (empty when equal). */
export function diffSummaries(terraform: Json, cloudFormation: Json, path = ''): string[] {
  if (JSON.stringify(sortKeys(terraform)) === JSON.stringify(sortKeys(cloudFormation))) return [];
  const isObject = (v: Json) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(terraform) && isObject(cloudFormation)) {
    const a = terraform as Props;
    const b = cloudFormation as Props;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((key) => diffSummaries(a[key], b[key], path ? `${path}.${key}` : key));
  }
  return [`${path}: terraform ${JSON.stringify(terraform)} ≠ cloudformation ${JSON.stringify(cloudFormation)}`];
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Props)[key])]));
  }
  return value;
}
