import type { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import type { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  standaloneQueuePair,
  type QueueDefinition,
  type QueuePairNodes,
  type QueuePiece,
  type ResolvedQueue,
  type StandaloneEnvironment,
} from '../model';
import { checkProps, isObject, isString } from './render/check-props';
import { References } from './render/references';
import { attachPolicy, renderNode, stableHash } from './render/render-node';

/** A queue pair from a plain definition, resolved and validated inside. */
export interface QueuePairDefinitionProps {
  /** The queue: name, FIFO or not, and its settings (ranges and defaults in the model's docs). */
  readonly queue: QueueDefinition;
  /**
   * The environment it belongs to: a name (`'staging'`), or a name with a profile
   * (`{ name: 'staging', scope: 'payments', encryption: { type: 'kms', keyArn } , tags }`).
   * Names are `<scope>-<environment>-<queue>-queue` / `-dlq`.
   */
  readonly environment: StandaloneEnvironment;
  /**
   * ARN of the KMS key when encryption is KMS and the key is created elsewhere in your stack (a
   * token). @default the profile's `encryption.keyArn`
   */
  readonly kmsKeyArn?: string;
}

/** A queue pair that is a piece of a graph the model built (how `MessagingEnvironment` uses it). */
export interface QueuePairPieceProps {
  readonly piece: QueuePiece;
}

export type QueuePairProps = QueuePairDefinitionProps | QueuePairPieceProps;

/** Anything a grant can attach a policy to: a role by name, or a construct that has a role. */
export type RoleReference = { readonly name: string } | { readonly grantPolicy: (policyArn: string, key: string) => unknown };

/**
 * A queue and its dead-letter queue: redrive after `maxReceiveCount` receives, a redrive-allow
 * policy on the DLQ naming only its source (`byQueue`), server-side encryption (SQS-managed or
 * KMS), TLS-only queue policies on both, and `send` / `consume` managed policies to attach to roles.
 */
export class QueuePair extends Construct {
  /** The settings the model resolved (names, timeouts, alarms, tags, …). */
  readonly settings: ResolvedQueue;
  /** The graph nodes this pair rendered. */
  readonly nodes: QueuePairNodes;
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;
  readonly sendPolicy: IamPolicy;
  readonly consumePolicy: IamPolicy;
  /** Where this pair's nodes are registered (shared with the constructs of its environment). */
  readonly references: References;
  /** The environment a plain definition was resolved in (a consumer's function defaults to it). */
  readonly environment?: StandaloneEnvironment;

  constructor(scope: Construct, id: string, props: QueuePairProps) {
    super(scope, id);
    const piece = pieceOf(id, props);
    if (!('piece' in props)) this.environment = props.environment;
    this.settings = piece.settings;
    this.nodes = piece.nodes;
    this.references = References.within(this);
    const nodes = piece.nodes;
    this.deadLetterQueue = renderNode(this, 'dlq', nodes.deadLetterQueue, this.references).resource as SqsQueue;
    this.queue = renderNode(this, 'queue', nodes.queue, this.references).resource as SqsQueue;
    renderNode(this, 'queue-policy', nodes.queuePolicy, this.references);
    renderNode(this, 'dlq-policy', nodes.deadLetterQueuePolicy, this.references);
    this.sendPolicy = renderNode(this, 'send-policy', nodes.sendPolicy, this.references).resource as IamPolicy;
    this.consumePolicy = renderNode(this, 'consume-policy', nodes.consumePolicy, this.references).resource as IamPolicy;
  }

  get queueUrl(): string {
    return this.queue.url;
  }
  get queueArn(): string {
    return this.queue.arn;
  }
  get deadLetterQueueUrl(): string {
    return this.deadLetterQueue.url;
  }
  get deadLetterQueueArn(): string {
    return this.deadLetterQueue.arn;
  }

  /** Lets `role` send to the queue (attaches the `send` managed policy). */
  grantSend(role: RoleReference): IamRolePolicyAttachment | undefined {
    return this.grant(role, this.nodes.sendPolicy.id, this.sendPolicy.arn);
  }

  /** Lets `role` receive, delete and extend visibility on the queue (attaches the `consume` policy). */
  grantConsume(role: RoleReference): IamRolePolicyAttachment | undefined {
    return this.grant(role, this.nodes.consumePolicy.id, this.consumePolicy.arn);
  }

  /**
   * One attachment per role and policy, with an id made of both (never a counter: reordering
   * grants must not replace resources). Granting twice is a no-op.
   */
  private grant(role: RoleReference, policyNodeId: string, policyArn: string): IamRolePolicyAttachment | undefined {
    if ('grantPolicy' in role && typeof role.grantPolicy === 'function') {
      role.grantPolicy(policyArn, policyNodeId);
      return undefined;
    }
    const name = (role as { name?: unknown }).name;
    if (typeof name !== 'string') {
      throw new TypeError(`QueuePair ${this.node.id}: grant needs a role with a name (an IamRole, or { name: "my-role" }), but got ${describeRole(role)}`);
    }
    const roleKey = role instanceof Construct ? role.node.path : Token.isUnresolved(name) ? undefined : name;
    if (roleKey === undefined) {
      throw new TypeError(`QueuePair ${this.node.id}: grant needs the role construct itself or a literal role name, not a token; pass the IamRole`);
    }
    const id = `grant-${policyNodeId}-${stableHash(roleKey)}`;
    const existing = this.node.tryFindChild(id) as IamRolePolicyAttachment | undefined;
    return existing ?? attachPolicy(this, id, name, policyArn);
  }
}

function pieceOf(id: string, props: QueuePairProps): Pick<QueuePiece, 'settings' | 'nodes'> {
  if (isObject(props) && 'piece' in props) return (props as QueuePairPieceProps).piece;
  const checked = checkProps(
    'QueuePair',
    id,
    props,
    {
      queue: { test: isObject, requirement: 'must be a queue definition object', fix: 'e.g. queue: { name: "payments", fifo: true }' },
      environment: {
        test: (value) => isString(value) || (isObject(value) && isString(value.name)),
        requirement: 'must be an environment name or { name, ...profile }',
        fix: 'e.g. environment: "staging"',
      },
      kmsKeyArn: { test: isString, requirement: 'must be a KMS key ARN', required: false },
    },
    '{ queue: { name: "payments" }, environment: "staging" }',
  ) as unknown as QueuePairDefinitionProps;
  return standaloneQueuePair(checked.environment, checked.queue, checked.kmsKeyArn);
}

function describeRole(role: unknown): string {
  if (role === null || role === undefined) return String(role);
  return typeof role === 'object' ? `an object without a name (${Object.keys(role).join(', ') || 'no fields'})` : typeof role;
}
