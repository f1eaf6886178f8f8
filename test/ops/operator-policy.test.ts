/**
 * The operator policy each environment creates (model/graph/policies.ts) against what `npm run ops`
 * sends (ops/operator-permissions.ts, derived from the SDK commands and checked against the server
 * in operator-permissions.test.ts): every action a command needs is allowed on the queue it needs it
 * on, and the policy allows nothing no command uses.
 */
import { buildGraph, OPERATOR_DEAD_LETTER_QUEUE_ACTIONS, OPERATOR_KEY_ACTIONS, OPERATOR_QUEUE_ACTIONS, ref, nodeIds, type GraphNode } from '../../model';
import { allOperatorPermissions, STACK_TARGET_PERMISSIONS } from '../../ops/operator-permissions';
import { environments } from '../../stacks/environments';
import { topology } from '../../stacks/topology';

interface Statement {
  readonly Sid?: string;
  readonly Action: string | readonly string[];
  readonly Resource: unknown;
}

function operatorStatements(environment: string): Statement[] {
  const graph = buildGraph(topology, environments, environment);
  const node = graph.nodes.find((candidate): candidate is Extract<GraphNode, { type: 'iam:managed-policy' }> => candidate.id === nodeIds.operatorPolicy);
  if (!node || node.type !== 'iam:managed-policy') throw new Error(`${environment} has no operator policy node`);
  return node.properties.PolicyDocument.Statement as unknown as Statement[];
}

/** The statements allowing `action` on `resource` (a graph reference). */
function allowing(statements: readonly Statement[], action: string, resource: unknown): Statement[] {
  const list = (value: unknown) => (Array.isArray(value) ? value : [value]);
  return statements.filter((statement) => list(statement.Action).includes(action) && list(statement.Resource).some((entry) => JSON.stringify(entry) === JSON.stringify(resource)));
}

const permissions = allOperatorPermissions().filter((permission) => permission.on !== 'stack');

describe.each(['development', 'production'])('the %s operator policy', (environment) => {
  const statements = operatorStatements(environment);

  it.each(topology.queues.map((queue) => queue.name))('allows every command its actions on the %s pair', (queue) => {
    const missing = permissions.filter((permission) => {
      const resource = permission.on === 'dead-letter-queue' ? ref(nodeIds.deadLetterQueue(queue), 'arn') : ref(nodeIds.queue(queue), 'arn');
      return allowing(statements, permission.action, resource).length === 0;
    });
    expect(missing).toEqual([]);
  });

  it('allows no SQS action that no command sends on that kind of queue', () => {
    const usedOn = (scopes: readonly string[]) => new Set(permissions.filter((permission) => scopes.includes(permission.on)).map((permission) => permission.action));
    const deadLetterQueueActions = usedOn(['dead-letter-queue']);
    const queueActions = usedOn(['queue', 'redrive-destination']);
    expect(OPERATOR_DEAD_LETTER_QUEUE_ACTIONS.filter((action) => !deadLetterQueueActions.has(action))).toEqual([]);
    expect(OPERATOR_QUEUE_ACTIONS.filter((action) => !queueActions.has(action))).toEqual([]);
  });
});

it('gives the key actions exactly where the environment has a key', () => {
  const keyActions = (environment: string) => operatorStatements(environment).filter((statement) => (statement.Action as readonly string[]).includes(OPERATOR_KEY_ACTIONS[0]));
  expect(keyActions('production')).toEqual([expect.objectContaining({ Resource: ref(nodeIds.encryptionKey, 'arn') })]);
  expect(keyActions('development')).toEqual([]);
});

it('leaves CloudFormation out: --stack reads the stack with the caller\'s own DescribeStacks permission', () => {
  expect(STACK_TARGET_PERMISSIONS.map((permission) => permission.action)).toEqual(['cloudformation:DescribeStacks']);
  const actions = operatorStatements('production').flatMap((statement) => statement.Action);
  expect(actions.filter((action) => action.startsWith('cloudformation:'))).toEqual([]);
});
