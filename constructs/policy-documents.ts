/** IAM policy documents built from the spec's action lists, as JSON strings Terraform accepts. */
import {
  CONSUME_ACTIONS,
  DENY_INSECURE_TRANSPORT_SID,
  KMS_CONSUME_ACTIONS,
  KMS_SEND_ACTIONS,
  SEND_ACTIONS,
} from './spec';

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: string | Record<string, string | string[]>;
  readonly Action: string | readonly string[];
  /** Absent only in trust policies. */
  readonly Resource?: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** Denies every SQS action on the queue over plain HTTP (aws:SecureTransport false). */
export function tlsOnlyQueuePolicy(queueArn: string): string {
  return policyDocument([
    {
      Sid: DENY_INSECURE_TRANSPORT_SID,
      Effect: 'Deny',
      Principal: '*',
      Action: 'sqs:*',
      Resource: queueArn,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ]);
}

/** Send rights on one queue (plus the KMS rights its key needs). */
export function sendPolicy(queueArn: string, kmsKeyArn: string | undefined): string {
  return policyDocument([
    { Sid: 'SendToQueue', Effect: 'Allow', Action: [...SEND_ACTIONS], Resource: queueArn },
    ...(kmsKeyArn ? [{ Sid: 'EncryptWithQueueKey', Effect: 'Allow' as const, Action: [...KMS_SEND_ACTIONS], Resource: kmsKeyArn }] : []),
  ]);
}

/** Consume rights on one queue (plus kms:Decrypt when it has a customer-managed key). */
export function consumePolicy(queueArn: string, kmsKeyArn: string | undefined): string {
  return policyDocument([
    { Sid: 'ConsumeFromQueue', Effect: 'Allow', Action: [...CONSUME_ACTIONS], Resource: queueArn },
    ...(kmsKeyArn ? [{ Sid: 'DecryptWithQueueKey', Effect: 'Allow' as const, Action: [...KMS_CONSUME_ACTIONS], Resource: kmsKeyArn }] : []),
  ]);
}
