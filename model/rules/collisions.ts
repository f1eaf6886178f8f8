/**
 * Names that differ as the user wrote them but become one after the model's own transformations:
 * `audit-log` and `audit_log` are one output (`audit_log_queue_url`) and one logical id
 * (`AuditLogQueue`); `Orders` and `orders` are one IAM policy name (IAM names are
 * case-insensitive). Checked on the built graph, so every name any renderer uses is covered.
 */
import type { EnvironmentGraph } from '../graph/environment';
import { isCreated, type CreatedNode, type NodeOrigin } from '../graph/nodes';
import type { Problems, Subject } from '../problems';

interface Claim {
  readonly namespace: string;
  readonly name: string;
  readonly origin: NodeOrigin;
  /** Compared without regard to case (IAM). */
  readonly caseInsensitive?: boolean;
}

/** The AWS name a created node takes, and in which namespace it must be unique. */
function nameOf(node: CreatedNode): Omit<Claim, 'origin'> | undefined {
  switch (node.type) {
    case 'sqs:queue':
      return { namespace: 'SQS queue name', name: node.properties.QueueName };
    case 'iam:role':
      return { namespace: 'IAM role name (IAM names ignore case)', name: node.properties.RoleName, caseInsensitive: true };
    case 'iam:managed-policy':
      return { namespace: 'IAM policy name (IAM names ignore case)', name: node.properties.ManagedPolicyName, caseInsensitive: true };
    case 'lambda:function':
      return { namespace: 'Lambda function name', name: node.properties.FunctionName };
    case 'logs:log-group':
      return { namespace: 'log group name', name: node.properties.LogGroupName };
    case 'cloudwatch:alarm':
      return { namespace: 'CloudWatch alarm name', name: node.properties.AlarmName };
    case 'sns:topic':
      return { namespace: 'SNS topic name', name: node.properties.TopicName };
    case 'dynamodb:table':
      return { namespace: 'DynamoDB table name', name: node.properties.TableName };
    default:
      return undefined;
  }
}

export function checkCollisions(problems: Problems, graph: EnvironmentGraph): void {
  const claims: Claim[] = [];
  for (const node of graph.nodes) {
    claims.push({ namespace: 'logical id (CloudFormation resource, Terraform construct)', name: node.id, origin: node.origin });
    if (!isCreated(node)) continue;
    const named = nameOf(node);
    if (named) claims.push({ ...named, origin: node.origin });
  }
  for (const output of graph.outputs) {
    claims.push({ namespace: 'output name', name: output.name, origin: output.origin });
    claims.push({ namespace: 'CloudFormation output id', name: output.id, origin: output.origin });
  }

  // Pairs of colliding things, each with every name they share.
  const seen = new Map<string, Claim>();
  const pairs = new Map<string, { first: Claim; second: Claim; shared: string[] }>();
  for (const claim of claims) {
    const key = `${claim.namespace}\0${claim.caseInsensitive ? claim.name.toLowerCase() : claim.name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, claim);
      continue;
    }
    if (sameOrigin(first.origin, claim.origin)) continue; // one thing's own names never collide by design
    const pairKey = `${describe(first.origin)}\0${describe(claim.origin)}`;
    const pair = pairs.get(pairKey) ?? { first, second: claim, shared: [] };
    const shown = first.name === claim.name ? `"${claim.name}"` : `"${first.name}" / "${claim.name}"`;
    if (!pair.shared.some((entry) => entry.startsWith(`${claim.namespace} `))) pair.shared.push(`${claim.namespace} ${shown}`);
    pairs.set(pairKey, pair);
  }
  for (const { first, second, shared } of pairs.values()) {
    const subject: Subject = { kind: second.origin.kind, name: second.origin.name, environment: graph.environment };
    problems.add(subject, 'name', `must not give the same names as ${describe(first.origin)}: ${shared.join(', ')}`, second.origin.name, 'rename one of them');
  }
}

function sameOrigin(a: NodeOrigin, b: NodeOrigin): boolean {
  return a.kind === b.kind && a.name === b.name;
}

function describe(origin: NodeOrigin): string {
  return origin.kind === 'environment' ? `environment "${origin.name}"` : `${origin.kind} "${origin.name}"`;
}
