import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { Construct } from 'constructs';
import type { BundledFunction } from './bundled-function';
import type { QueuePair } from './queue-pair';
import type { ResolvedConsumer } from './spec';

export interface QueueConsumerProps {
  readonly function: BundledFunction;
  readonly queuePair: QueuePair;
  /** Batch size, window and concurrency as the spec resolved them (ranges already checked). */
  readonly consumer: ResolvedConsumer;
}

/**
 * Wires a function to its queue: grants the consume policy, then creates the event source mapping
 * with `ReportBatchItemFailures` always on, so one bad record does not redeliver its whole batch.
 */
export class QueueConsumer extends Construct {
  readonly mapping: LambdaEventSourceMapping;

  constructor(scope: Construct, id: string, props: QueueConsumerProps) {
    super(scope, id);
    const { consumer } = props;
    const grant = props.queuePair.grantConsume(props.function.role);
    this.mapping = new LambdaEventSourceMapping(this, 'mapping', {
      eventSourceArn: props.queuePair.queueArn,
      functionName: props.function.function.arn,
      batchSize: consumer.batchSize,
      maximumBatchingWindowInSeconds: consumer.maximumBatchingWindowSeconds,
      functionResponseTypes: ['ReportBatchItemFailures'],
      ...(consumer.maximumConcurrency !== undefined ? { scalingConfig: { maximumConcurrency: consumer.maximumConcurrency } } : {}),
      // AWS checks the role can read the queue when the mapping is created.
      dependsOn: [grant],
    });
  }
}
