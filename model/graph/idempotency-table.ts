/**
 * The environment's idempotency table: where every function remembers the events it handled
 * (Powertools Idempotency; the attribute names are the contract in idempotency-contract.ts).
 */
import { IDEMPOTENCY_TABLE_ATTRIBUTES } from '../idempotency-contract';
import { nodeIds } from '../naming';
import type { ResolvedIdempotencyTable } from '../resolve/resolved';
import type { NodeOrigin, TableNode } from './nodes';
import type { GraphValue } from './values';

export function idempotencyTableNode(table: ResolvedIdempotencyTable, origin: NodeOrigin, tags: Readonly<Record<string, string>>, keyArn: GraphValue | undefined): TableNode {
  return {
    id: nodeIds.idempotencyTable,
    type: 'dynamodb:table',
    origin,
    properties: {
      TableName: table.tableName,
      // On demand: traffic follows the queues' bursts, and an idle environment costs nothing.
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_TABLE_ATTRIBUTES.partitionKey, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: IDEMPOTENCY_TABLE_ATTRIBUTES.partitionKey, KeyType: 'HASH' }],
      // DynamoDB deletes expired records by itself (Powertools also ignores them until it does).
      TimeToLiveSpecification: { AttributeName: IDEMPOTENCY_TABLE_ATTRIBUTES.expiry, Enabled: true },
      // KMS encryption: the environment's key where it has one, else DynamoDB's AWS managed key
      // (auditable in CloudTrail, CT.DYNAMODB.PR.2). Callers need no KMS rights: DynamoDB uses a
      // grant on the key, created when the table is.
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', ...(keyArn !== undefined ? { KMSMasterKeyId: keyArn } : {}) },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: table.pointInTimeRecovery },
      DeletionProtectionEnabled: table.deletionProtection,
    },
    tags,
  };
}
