import { Construct } from 'constructs';
import { AlertTopic } from './alert-topic';
import { AwsAccount } from './aws-account';
import { BundledFunction } from './bundled-function';
import { EnvironmentKey } from './environment-key';
import { QueueAlarms } from './queue-alarms';
import { QueueConsumer } from './queue-consumer';
import { QueuePair } from './queue-pair';
import type { ResolvedEnvironment } from './spec';

export interface MessagingEnvironmentProps {
  /** One environment of the resolved spec (`resolveEnvironment(topology, profiles, 'staging')`). */
  readonly spec: ResolvedEnvironment;
}

/**
 * Everything one environment's messaging needs: an optional KMS key, the alert topic (or an
 * existing one), and for each queue its pair, alarms and access policies.
 */
export class MessagingEnvironment extends Construct {
  readonly spec: ResolvedEnvironment;
  /** Queue pairs by logical queue name. */
  readonly queuePairs: ReadonlyMap<string, QueuePair>;
  /** Bundled Lambda services by logical name. */
  readonly functions: ReadonlyMap<string, BundledFunction>;
  readonly alertTopicArn: string;
  /** ARN of the customer-managed key, when the environment uses KMS. */
  readonly kmsKeyArn?: string;
  readonly account: AwsAccount;

  constructor(scope: Construct, id: string, props: MessagingEnvironmentProps) {
    super(scope, id);
    const spec = props.spec;
    this.spec = spec;
    this.account = new AwsAccount(this, 'account');

    // The spec names an alias exactly when the environment creates its key.
    const createdKey =
      spec.kmsKeyAlias !== undefined
        ? new EnvironmentKey(this, 'key', { alias: spec.kmsKeyAlias, account: this.account, tags: spec.tags })
        : undefined;
    if (spec.encryption.type === 'kms') this.kmsKeyArn = spec.encryption.keyArn ?? createdKey?.keyArn;

    this.alertTopicArn =
      spec.alerts.existingTopicArn ??
      new AlertTopic(this, 'alerts', {
        topicName: spec.alerts.topicName!,
        account: this.account,
        ...(this.kmsKeyArn ? { kmsKeyArn: this.kmsKeyArn } : {}),
        tags: spec.tags,
      }).topicArn;

    const pairs = new Map<string, QueuePair>();
    for (const queue of spec.queues) {
      const pair = new QueuePair(this, `${queue.name}-queue`, { queue, ...(this.kmsKeyArn ? { kmsKeyArn: this.kmsKeyArn } : {}) });
      new QueueAlarms(pair, 'alarms', {
        queue,
        alertTopicArn: this.alertTopicArn,
        actionsEnabled: spec.alerts.actionsEnabled,
        okActions: spec.alerts.okActions,
      });
      pairs.set(queue.name, pair);
    }
    this.queuePairs = pairs;

    const functions = new Map<string, BundledFunction>();
    for (const fn of spec.functions) {
      const queueUrls = Object.fromEntries(
        Object.entries(fn.queueUrlVariables).map(([variable, queue]) => [variable, this.queuePair(queue).queueUrl]),
      );
      const service = new BundledFunction(this, fn.name, {
        spec: fn,
        extraEnvironment: queueUrls,
        // Used for the log group where the spec says so (ResolvedFunction.logEncryption).
        ...(createdKey ? { environmentKeyArn: createdKey.keyArn } : {}),
      });
      for (const queue of fn.publishesTo) this.queuePair(queue).grantSend(service.role);
      if (fn.consumes) {
        new QueueConsumer(service, 'consumer', { function: service, queuePair: this.queuePair(fn.consumes.queue), consumer: fn.consumes });
      }
      functions.set(fn.name, service);
    }
    this.functions = functions;
  }

  /** The pair of a logical queue; throws naming the known queues when there is none. */
  queuePair(name: string): QueuePair {
    const pair = this.queuePairs.get(name);
    if (!pair) throw new Error(`no queue "${name}" in ${this.spec.environment} (known: ${[...this.queuePairs.keys()].join(', ')})`);
    return pair;
  }
}
