import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { consumePolicyDescription, policyName, queueConsumePolicy, queueSendPolicy, sendPolicyDescription, type ResolvedQueue } from './spec';

/** A role to grant access to: a cdktf `IamRole` or any object with the role's name. */
export interface RoleReference {
  readonly name: string;
}

export interface QueueAccessPoliciesProps {
  readonly queue: ResolvedQueue;
  /** ARN of the queue the policies are about. */
  readonly queueArn: string;
  /** ARN of the queue's KMS key, when it has a customer-managed one. @default none (SQS-managed SSE) */
  readonly kmsKeyArn?: string;
}

/**
 * Two managed policies per queue, `<env>-<queue>-queue-send` and `<env>-<queue>-queue-consume`,
 * each with explicit actions on that queue's ARN only (plus its KMS key's ARN when it has one).
 * Attach them to your own roles with {@link grantSend} / {@link grantConsume}.
 */
export class QueueAccessPolicies extends Construct {
  readonly sendPolicy: IamPolicy;
  readonly consumePolicy: IamPolicy;
  private grants = 0;

  constructor(scope: Construct, id: string, props: QueueAccessPoliciesProps) {
    super(scope, id);
    const { queue } = props;
    const key = props.kmsKeyArn ? { arn: props.kmsKeyArn } : undefined;
    this.sendPolicy = new IamPolicy(this, 'send', {
      name: policyName(queue.environment, queue.name, 'send'),
      description: sendPolicyDescription(queue.queueName),
      policy: JSON.stringify(queueSendPolicy(props.queueArn, key)),
      tags: { ...queue.tags },
    });
    this.consumePolicy = new IamPolicy(this, 'consume', {
      name: policyName(queue.environment, queue.name, 'consume'),
      description: consumePolicyDescription(queue.queueName),
      policy: JSON.stringify(queueConsumePolicy(props.queueArn, key)),
      tags: { ...queue.tags },
    });
  }

  /** Attaches the send policy to `role`. */
  grantSend(role: RoleReference): IamRolePolicyAttachment {
    return this.attach(role, this.sendPolicy);
  }

  /** Attaches the consume policy to `role`. */
  grantConsume(role: RoleReference): IamRolePolicyAttachment {
    return this.attach(role, this.consumePolicy);
  }

  private attach(role: RoleReference, policy: IamPolicy): IamRolePolicyAttachment {
    this.grants += 1;
    return new IamRolePolicyAttachment(this, `${policy.node.id}-grant-${this.grants}`, {
      role: role.name,
      policyArn: policy.arn,
    });
  }
}
