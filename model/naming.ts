/**
 * Every name the model derives, in one place. `prefix` is an environment's name prefix:
 * `<scope>-<environment>` with a scope, else `<environment>` (see {@link namePrefix}).
 */
const FIFO_SUFFIX = '.fifo';

/** The CloudFormation template's parameter that selects the environment (ops reads it back from a stack). */
export const ENVIRONMENT_PARAMETER = 'Environment';

/** What every resource name of an environment starts with. */
export function namePrefix(environment: string, scope?: string): string {
  return scope ? `${scope}-${environment}` : environment;
}

export function queueName(prefix: string, name: string, fifo: boolean): string {
  return `${prefix}-${name}-queue${fifo ? FIFO_SUFFIX : ''}`;
}

export function deadLetterQueueName(prefix: string, name: string, fifo: boolean): string {
  return `${prefix}-${name}-dlq${fifo ? FIFO_SUFFIX : ''}`;
}

export function functionName(prefix: string, name: string): string {
  return `${prefix}-${name}`;
}

export function logGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** A function's execution role, e.g. `production-order-service-role`. */
export function roleName(functionName: string): string {
  return `${functionName}-role`;
}

/** The inline policy every function role carries (its own log group, X-Ray when tracing). */
export const FUNCTION_BASE_POLICY_NAME = 'logs-and-traces';

export function alertTopicName(prefix: string): string {
  return `${prefix}-sqs-alerts`;
}

export function kmsKeyAlias(prefix: string): string {
  return `alias/${prefix}-sqs`;
}

/** The managed policy for the on-call role, e.g. `production-sqs-operator`. */
export function operatorPolicyName(prefix: string): string {
  return `${prefix}-sqs-operator`;
}

/** The environment's idempotency table, e.g. `production-idempotency`. */
export function idempotencyTableName(prefix: string): string {
  return `${prefix}-idempotency`;
}

/** Managed policy names, e.g. `production-order-queue-send`. */
export function policyName(prefix: string, name: string, access: 'send' | 'consume'): string {
  return `${prefix}-${name}-queue-${access}`;
}

/** The kinds of alarm a queue pair has. */
export type QueueAlarmKind = 'depth' | 'oldestMessageAge' | 'deadLetterQueue' | 'timeToDrain';

/** The kinds of alarm a function has. */
export type FunctionAlarmKind = 'errorRate' | 'throttles';

/** Queue alarm names, e.g. `production-order-queue-depth`. */
export function queueAlarmName(prefix: string, name: string, alarm: QueueAlarmKind): string {
  switch (alarm) {
    case 'depth':
      return `${prefix}-${name}-queue-depth`;
    case 'oldestMessageAge':
      return `${prefix}-${name}-queue-oldest-message-age`;
    case 'deadLetterQueue':
      return `${prefix}-${name}-dlq-not-empty`;
    case 'timeToDrain':
      return `${prefix}-${name}-queue-time-to-drain`;
  }
}

/** Function alarm names, e.g. `production-inventory-service-error-rate`. */
export function functionAlarmName(prefix: string, name: string, alarm: FunctionAlarmKind): string {
  return `${prefix}-${name}-${alarm === 'errorRate' ? 'error-rate' : 'throttles'}`;
}

/** The environment's dashboard, e.g. `production-messaging`. */
export function dashboardName(prefix: string): string {
  return `${prefix}-messaging`;
}

/** Default path of the environment's SSM parameters, e.g. `/payments/production/messaging`. */
export function parameterPath(environment: string, scope?: string): string {
  return `/${scope ? `${scope}/` : ''}${environment}/messaging`;
}

/** What each per-queue SSM parameter holds: its name under `<path>/<queue>/`. */
export const QUEUE_PARAMETERS = ['queue-url', 'queue-arn', 'dlq-url', 'dlq-arn'] as const;
export type QueueParameterKind = (typeof QUEUE_PARAMETERS)[number];

/** An SSM parameter's name, e.g. `/production/messaging/order/queue-url`. */
export function parameterName(path: string, queue: string, what: QueueParameterKind): string {
  return `${path}/${queue}/${what}`;
}

/** The managed policy apps attach to read the parameters, e.g. `production-messaging-endpoints-read`. */
export function parametersReadPolicyName(prefix: string): string {
  return `${prefix}-messaging-endpoints-read`;
}

/** Default object key of an environment's Terraform state in S3. */
export function remoteStateKey(environment: string, scope?: string): string {
  return `${scope ? `${scope}/` : ''}${environment}/messaging.tfstate`;
}

/** `order-service` → `ORDER_SERVICE`: the stem of environment variable names. */
function constantCase(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/** Environment variable that carries a queue's URL to a producer, e.g. `ORDER_QUEUE_URL`. */
export function queueUrlVariable(name: string): string {
  return `${constantCase(name)}_QUEUE_URL`;
}

/** `order-service` → `order_service`: the stem of output names. */
function snakeCase(name: string): string {
  return name.replace(/-/g, '_');
}

/** Output names, as apps read them (`order_queue_url`). */
export function outputName(queue: string, what: string): string {
  return `${snakeCase(queue)}_${what}`;
}

/** Output name of a function's URL, as apps read it (`order_service_function_url`). */
export function functionUrlOutputName(name: string): string {
  return `${snakeCase(name)}_function_url`;
}

/**
 * `order-service` → `OrderService`: logical ids (CloudFormation resources, outputs, exports, the
 * graph's node ids) allow only letters and digits.
 */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** Logical ids of the graph's nodes: the CloudFormation logical id of each resource. */
export const nodeIds = {
  encryptionKey: 'EncryptionKey',
  idempotencyTable: 'IdempotencyTable',
  operatorPolicy: 'OperatorPolicy',
  dashboard: 'Dashboard',
  parametersReadPolicy: 'EndpointsReadPolicy',
  encryptionKeyAlias: 'EncryptionKeyAlias',
  alertTopic: 'AlertTopic',
  alertTopicPolicy: 'AlertTopicPolicy',
  queue: (name: string) => `${pascalCase(name)}Queue`,
  deadLetterQueue: (name: string) => `${pascalCase(name)}Dlq`,
  queuePolicy: (name: string) => `${pascalCase(name)}QueuePolicy`,
  deadLetterQueuePolicy: (name: string) => `${pascalCase(name)}DlqPolicy`,
  sendPolicy: (name: string) => `${pascalCase(name)}SendPolicy`,
  consumePolicy: (name: string) => `${pascalCase(name)}ConsumePolicy`,
  alarm: (name: string, kind: QueueAlarmKind) => `${pascalCase(name)}${ALARM_ID_SUFFIX[kind]}Alarm`,
  functionAlarm: (name: string, kind: FunctionAlarmKind) => `${pascalCase(name)}${pascalCase(kind)}Alarm`,
  parameter: (queue: string, what: QueueParameterKind) => `${pascalCase(queue)}${pascalCase(what)}Parameter`,
  logGroup: (name: string) => `${pascalCase(name)}LogGroup`,
  role: (name: string) => `${pascalCase(name)}Role`,
  function: (name: string) => `${pascalCase(name)}Function`,
  functionUrl: (name: string) => `${pascalCase(name)}FunctionUrl`,
  eventSourceMapping: (name: string) => `${pascalCase(name)}EventSourceMapping`,
};

const ALARM_ID_SUFFIX: Readonly<Record<QueueAlarmKind, string>> = {
  depth: 'QueueDepth',
  oldestMessageAge: 'QueueOldestMessageAge',
  deadLetterQueue: 'DlqNotEmpty',
  timeToDrain: 'QueueTimeToDrain',
};

/** CloudFormation export name of an output: `<prefix>-OrderQueueUrl`. */
export function exportName(prefix: string, outputId: string): string {
  return `${prefix}-${outputId}`;
}
