/**
 * The CloudWatch metrics the alarms and the dashboard read, and the two derived measures they
 * share with local mode's health line (time to drain, error rate): each written once, as the
 * CloudWatch metric-math expression and as the same arithmetic over local counts, so a number an
 * operator reads locally means what the dashboard means in AWS.
 */

export interface MetricDefinition {
  readonly namespace: 'AWS/SQS' | 'AWS/Lambda';
  readonly metricName: string;
  /** The statistic that makes sense for it (counts are summed, gauges averaged or maximised). */
  readonly statistic: 'Average' | 'Maximum' | 'Sum';
  readonly label: string;
}

/** Per queue, dimension `QueueName`. */
export const QUEUE_METRICS = {
  visible: { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', statistic: 'Average', label: 'visible' },
  inFlight: { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesNotVisible', statistic: 'Average', label: 'in flight' },
  oldestAge: { namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', statistic: 'Maximum', label: 'oldest message (s)' },
  sent: { namespace: 'AWS/SQS', metricName: 'NumberOfMessagesSent', statistic: 'Sum', label: 'sent' },
  deleted: { namespace: 'AWS/SQS', metricName: 'NumberOfMessagesDeleted', statistic: 'Sum', label: 'deleted' },
} as const satisfies Record<string, MetricDefinition>;

/** Per function, dimension `FunctionName`. */
export const FUNCTION_METRICS = {
  invocations: { namespace: 'AWS/Lambda', metricName: 'Invocations', statistic: 'Sum', label: 'invocations' },
  errors: { namespace: 'AWS/Lambda', metricName: 'Errors', statistic: 'Sum', label: 'errors' },
  throttles: { namespace: 'AWS/Lambda', metricName: 'Throttles', statistic: 'Sum', label: 'throttles' },
  duration: { namespace: 'AWS/Lambda', metricName: 'Duration', statistic: 'Average', label: 'duration (ms)' },
  concurrency: { namespace: 'AWS/Lambda', metricName: 'ConcurrentExecutions', statistic: 'Maximum', label: 'concurrent executions' },
} as const satisfies Record<string, MetricDefinition>;

/** A measure derived from metrics, by CloudWatch metric math and by the same arithmetic locally. */
export interface DerivedMeasure<Inputs extends string> {
  readonly label: string;
  /** The metrics it reads, by the id the expression uses. */
  readonly inputs: Readonly<Record<Inputs, MetricDefinition>>;
  /** CloudWatch metric math over the inputs' ids. */
  readonly expression: string;
  /** The same, over counts taken during one period of `periodSeconds`. */
  readonly compute: (values: Readonly<Record<Inputs, number>>, periodSeconds: number) => number;
}

/**
 * Seconds until the visible backlog is gone at the rate messages are being deleted. Nothing
 * deleted in the period reads 0 (no estimate): a stuck consumer is what the oldest-message alarm
 * is for.
 */
export const TIME_TO_DRAIN: DerivedMeasure<'visible' | 'deleted'> = {
  label: 'time to drain (s)',
  inputs: { visible: QUEUE_METRICS.visible, deleted: QUEUE_METRICS.deleted },
  expression: 'IF(deleted > 0, visible / (deleted / PERIOD(deleted)), 0)',
  compute: ({ visible, deleted }, periodSeconds) => (deleted > 0 ? visible / (deleted / periodSeconds) : 0),
};

/** Failed invocations as a percentage of invocations: a busy function is not noisier than a quiet one. */
export const ERROR_RATE: DerivedMeasure<'errors' | 'invocations'> = {
  label: 'error rate (%)',
  inputs: { errors: FUNCTION_METRICS.errors, invocations: FUNCTION_METRICS.invocations },
  expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
  compute: ({ errors, invocations }) => (invocations > 0 ? (100 * errors) / invocations : 0),
};
