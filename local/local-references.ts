/**
 * What local mode knows of the graph's nodes: the attributes the embedded server returned for the
 * queues it created, and, for resources local mode does not emulate (IAM, KMS, SNS, CloudWatch, SSM),
 * the values AWS would give them, built from their names in the local account and region. Fills
 * account strings with the same account and region.
 */
import { fillAccountString, isCreated, resolveValue, type EnvironmentGraph, type GraphNode, type GraphValue, type NodeRef, type RefAttribute } from '../model';
import { LOCAL_ACCOUNT_ID } from './sqs-client';

export type LocalAttributes = Readonly<Partial<Record<RefAttribute, string>>>;

export class LocalReferences {
  private readonly known = new Map<string, LocalAttributes>();

  constructor(
    private readonly graph: EnvironmentGraph,
    readonly region: string,
  ) {}

  /** Records what the server (or a local stand-in) returned for a node. */
  set(nodeId: string, attributes: LocalAttributes): void {
    this.known.set(nodeId, { ...this.known.get(nodeId), ...attributes });
  }

  read(ref: NodeRef): string {
    const value = (this.known.get(ref.$ref) ?? this.standIn(ref.$ref))[ref.$attribute];
    if (value === undefined) throw new Error(`local mode has no ${ref.$attribute} for node "${ref.$ref}" (is it provisioned yet?)`);
    return value;
  }

  /** A graph value with references and account strings filled in locally. */
  resolve(value: GraphValue | object): unknown {
    return resolveValue(value as GraphValue, {
      ref: (ref) => this.read(ref),
      accountString: (text) => fillAccountString(text, { partition: 'aws', region: this.region, accountId: LOCAL_ACCOUNT_ID }),
    });
  }

  /** What AWS would call a node that local mode does not create, from its name. */
  private standIn(nodeId: string): LocalAttributes {
    const node: GraphNode | undefined = this.graph.nodes.find((candidate) => candidate.id === nodeId);
    if (!node) throw new Error(`the graph has no node "${nodeId}"`);
    if (!isCreated(node)) return node.existing;
    const arn = (service: string, resource: string) => `arn:aws:${service}:${service === 'iam' ? '' : this.region}:${LOCAL_ACCOUNT_ID}:${resource}`;
    switch (node.type) {
      case 'iam:managed-policy':
        return { arn: arn('iam', `policy/${node.properties.ManagedPolicyName}`), name: node.properties.ManagedPolicyName };
      case 'iam:role':
        return { arn: arn('iam', `role/${node.properties.RoleName}`), name: node.properties.RoleName };
      case 'kms:key':
        return { arn: arn('kms', `key/${node.id}`), id: node.id };
      case 'sns:topic':
        return { arn: arn('sns', node.properties.TopicName), name: node.properties.TopicName };
      case 'logs:log-group':
        return { name: node.properties.LogGroupName };
      case 'lambda:function':
        return { arn: arn('lambda', `function:${node.properties.FunctionName}`), name: node.properties.FunctionName };
      case 'cloudwatch:alarm':
        return { arn: arn('cloudwatch', `alarm:${node.properties.AlarmName}`), name: node.properties.AlarmName };
      case 'dynamodb:table':
        return { arn: arn('dynamodb', `table/${node.properties.TableName}`), name: node.properties.TableName };
      case 'cloudwatch:dashboard':
        return { arn: arn('cloudwatch', `dashboard/${node.properties.DashboardName}`).replace(`:${this.region}:`, '::'), name: node.properties.DashboardName };
      case 'ssm:parameter':
        return { arn: arn('ssm', `parameter${node.properties.Name}`), name: node.properties.Name };
      default:
        return {};
    }
  }
}
