/**
 * The outputs apps read, as graph outputs: the same list becomes Terraform outputs, CloudFormation
 * outputs with exports, and the local outputs file. Descriptions name the logical thing, not the
 * environment: a CloudFormation output description is a literal shared by every environment.
 */
import { exportName, functionUrlOutputName, nodeIds, outputName, pascalCase } from '../naming';
import type { ResolvedEnvironment } from '../resolve/resolved';
import type { GraphOutput, NodeOrigin } from './nodes';
import { accountString, ref, type GraphValue } from './values';

/** Per queue: what each output holds, its name suffix and its description. */
export const QUEUE_OUTPUTS = [
  { what: 'queue_url', value: (q: string) => ref(nodeIds.queue(q), 'url'), describe: (q: string) => `URL of the ${q} queue` },
  { what: 'queue_arn', value: (q: string) => ref(nodeIds.queue(q), 'arn'), describe: (q: string) => `ARN of the ${q} queue` },
  { what: 'dlq_url', value: (q: string) => ref(nodeIds.deadLetterQueue(q), 'url'), describe: (q: string) => `URL of the ${q} dead-letter queue` },
  { what: 'dlq_arn', value: (q: string) => ref(nodeIds.deadLetterQueue(q), 'arn'), describe: (q: string) => `ARN of the ${q} dead-letter queue` },
  { what: 'send_policy_arn', value: (q: string) => ref(nodeIds.sendPolicy(q), 'arn'), describe: (q: string) => `Managed policy: send to the ${q} queue` },
  { what: 'consume_policy_arn', value: (q: string) => ref(nodeIds.consumePolicy(q), 'arn'), describe: (q: string) => `Managed policy: consume from the ${q} queue` },
] as const;

/** One of the per-queue outputs, e.g. `queue_url`. */
export type QueueOutputKind = (typeof QUEUE_OUTPUTS)[number]['what'];

export const ALERT_TOPIC_OUTPUT_NAME = 'alert_topic_arn';

/** Every output of an environment, in a stable order: per queue, the alert topic, function URLs. */
export function environmentOutputs(environment: ResolvedEnvironment): GraphOutput[] {
  const outputs: GraphOutput[] = [];
  const add = (origin: NodeOrigin, name: string, description: string, value: GraphValue) => {
    const id = pascalCase(name);
    outputs.push({ name, id, exportName: exportName(environment.namePrefix, id), description, value, origin });
  };
  for (const queue of environment.queues) {
    const origin: NodeOrigin = { kind: 'queue', name: queue.name };
    for (const output of QUEUE_OUTPUTS) add(origin, outputName(queue.name, output.what), output.describe(queue.name), output.value(queue.name));
  }
  const origin: NodeOrigin = { kind: 'environment', name: environment.environment };
  add(origin, ALERT_TOPIC_OUTPUT_NAME, 'SNS topic the alarms notify', ref(nodeIds.alertTopic, 'arn'));
  if (environment.queues.length > 0) {
    add(origin, 'operator_policy_arn', 'Managed policy for the on-call role: status, inspect, redrive and purge dead letters', ref(nodeIds.operatorPolicy, 'arn'));
  }
  if (environment.parameters) {
    add(origin, 'parameter_path', 'SSM Parameter Store path of the queue endpoints (<path>/<queue>/queue-url, …)', environment.parameters.path);
    add(origin, 'endpoints_read_policy_arn', 'Managed policy for app roles: read the queue endpoints from SSM', ref(nodeIds.parametersReadPolicy, 'arn'));
  }
  if (environment.dashboard) {
    const name = environment.dashboard.dashboardName;
    add(origin, 'dashboard_name', 'CloudWatch dashboard of the environment', ref(nodeIds.dashboard, 'name'));
    add(
      origin,
      'dashboard_url',
      'CloudWatch console URL of the dashboard',
      accountString(`https://\${AWS::Region}.console.aws.amazon.com/cloudwatch/home?region=\${AWS::Region}#dashboards/dashboard/${name}`),
    );
  }
  if (environment.idempotencyTable) {
    add(origin, 'idempotency_table_name', 'DynamoDB table of handled events (idempotency)', ref(nodeIds.idempotencyTable, 'name'));
    add(origin, 'idempotency_table_arn', 'ARN of the idempotency table', ref(nodeIds.idempotencyTable, 'arn'));
  }
  for (const fn of environment.functions.filter((f) => f.functionUrl)) {
    add({ kind: 'function', name: fn.name }, functionUrlOutputName(fn.name), `URL of the ${fn.name} function (IAM auth: callers sign requests with SigV4)`, ref(nodeIds.functionUrl(fn.name), 'functionUrl'));
  }
  return outputs;
}
