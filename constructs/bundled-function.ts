import type { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { LambdaFunctionUrl } from '@cdktf/provider-aws/lib/lambda-function-url';
import { Construct } from 'constructs';
import { standaloneFunction, type FunctionDefinition, type FunctionNodes, type FunctionPiece, type ResolvedFunction, type StandaloneEnvironment } from '../model';
import { checkProps, isObject, isString } from './render/check-props';
import { References } from './render/references';
import { attachPolicy, renderNode } from './render/render-node';

/** A function outside a topology: everything but the queue wiring (use QueueConsumer and grants). */
export type StandaloneFunctionDefinition = Omit<FunctionDefinition, 'consumes' | 'publishesTo'>;

export interface BundledFunctionProps {
  /** Name, handler entry (TypeScript or JavaScript, exporting `handler`), timeout, memory, … */
  readonly function: StandaloneFunctionDefinition;
  /** The environment it belongs to: a name, or a name with a profile (scope, tags, log retention, …). */
  readonly environment: StandaloneEnvironment;
}

/** A function that is a piece of a graph the model built (how `MessagingEnvironment` uses it). */
export interface BundledFunctionPieceProps {
  readonly piece: FunctionPiece;
}

/**
 * A TypeScript handler bundled with esbuild at synth time (cached on disk by content) and deployed
 * as a Lambda function (`nodejs24.x`, arm64), with its own log group (retention per environment)
 * and a role whose only rights are writing to that log group (and X-Ray when tracing is on).
 * Queue rights come from grants: `queuePair.grantSend(fn)`, or a `QueueConsumer`.
 */
export class BundledFunction extends Construct {
  readonly settings: ResolvedFunction;
  readonly nodes: FunctionNodes;
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  /** The function URL (IAM auth), when the definition asks for one. */
  readonly functionUrl?: LambdaFunctionUrl;
  readonly references: References;

  constructor(scope: Construct, id: string, props: BundledFunctionProps | BundledFunctionPieceProps) {
    super(scope, id);
    const piece = pieceOf(id, props);
    this.settings = piece.settings;
    this.nodes = piece.nodes;
    this.references = References.within(this);
    this.logGroup = renderNode(this, 'logs', this.nodes.logGroup, this.references).resource as CloudwatchLogGroup;
    this.role = renderNode(this, 'role', this.nodes.role, this.references).resource as IamRole;
    this.function = renderNode(this, 'function', this.nodes.function, this.references).resource as LambdaFunction;
    if (this.nodes.url) this.functionUrl = renderNode(this, 'url', this.nodes.url, this.references).resource as LambdaFunctionUrl;
  }

  get functionArn(): string {
    return this.function.arn;
  }

  get functionName(): string {
    return this.function.functionName;
  }

  /**
   * Attaches a managed policy to the function's role. `key` names the policy for the attachment's
   * id (a graph node id such as `OrderSendPolicy`); attaching the same key twice is a no-op.
   */
  grantPolicy(policyArn: string, key: string): IamRolePolicyAttachment {
    // The id the role node's own attachments use (render-node.ts): one attachment per policy.
    const id = `role-attach-${key}`;
    return (this.node.tryFindChild(id) as IamRolePolicyAttachment | undefined) ?? attachPolicy(this, id, this.role.name, policyArn);
  }
}

function pieceOf(id: string, props: BundledFunctionProps | BundledFunctionPieceProps): Pick<FunctionPiece, 'settings' | 'nodes'> {
  if (isObject(props) && 'piece' in props) return (props as BundledFunctionPieceProps).piece;
  const checked = checkProps(
    'BundledFunction',
    id,
    props,
    {
      function: { test: isObject, requirement: 'must be a function definition object', fix: 'e.g. function: { name: "worker", entry: "src/worker.ts" }' },
      environment: {
        test: (value) => isString(value) || (isObject(value) && isString(value.name)),
        requirement: 'must be an environment name or { name, ...profile }',
        fix: 'e.g. environment: "staging"',
      },
    },
    '{ function: { name: "worker", entry: "src/worker.ts" }, environment: "staging" }',
  ) as unknown as BundledFunctionProps;
  return standaloneFunction(checked.environment, checked.function);
}
