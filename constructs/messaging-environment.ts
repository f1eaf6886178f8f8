import { Construct } from 'constructs';
import { buildGraph, type EnvironmentGraph, type EnvironmentProfiles, type GraphNode, type GraphValue, type Topology } from '../model';
import { BundledFunction } from './bundled-function';
import { FunctionAlarms } from './function-alarms';
import { kebab } from './alarm-actions';
import { QueueAlarms } from './queue-alarms';
import { QueueConsumer } from './queue-consumer';
import { QueuePair } from './queue-pair';
import { checkProps, isObject, isString } from './render/check-props';
import { References } from './render/references';
import { renderNode } from './render/render-node';

/** A whole environment from a topology and its profiles (resolved and validated inside). */
export interface MessagingEnvironmentDescriptionProps {
  readonly topology: Topology;
  /** The profiles; their keys are the environments that exist. */
  readonly environments: EnvironmentProfiles;
  /** The environment to build, one of the profiles' keys. */
  readonly environment: string;
}

/** A whole environment from a graph the model built (`buildGraph`). */
export interface MessagingEnvironmentGraphProps {
  readonly graph: EnvironmentGraph;
}

export type MessagingEnvironmentProps = MessagingEnvironmentDescriptionProps | MessagingEnvironmentGraphProps;

/**
 * Everything one environment's messaging needs, composed of the constructs you can also use on
 * their own: the KMS key (created or referenced), the alert topic (created or referenced), each
 * queue's `QueuePair`, `QueueAlarms` and endpoint parameters (SSM), each service's
 * `BundledFunction`, `FunctionAlarms` and `QueueConsumer`, the operator and endpoint-reading
 * policies, and the dashboard.
 */
export class MessagingEnvironment extends Construct {
  readonly graph: EnvironmentGraph;
  /** Queue pairs by logical queue name. */
  readonly queuePairs: ReadonlyMap<string, QueuePair>;
  /** Bundled Lambda services by logical name. */
  readonly functions: ReadonlyMap<string, BundledFunction>;
  readonly references: References;

  constructor(scope: Construct, id: string, props: MessagingEnvironmentProps) {
    super(scope, id);
    this.graph = graphOf(id, props);
    this.references = References.ownedBy(this);
    const { pieces } = this.graph;

    if (pieces.key) {
      if ('existing' in pieces.key) this.registerExisting(pieces.key.existing);
      else {
        renderNode(this, 'key', pieces.key.key, this.references);
        renderNode(this, 'key-alias', pieces.key.alias, this.references);
      }
    }
    if (pieces.idempotencyTable) renderNode(this, 'idempotency-table', pieces.idempotencyTable, this.references);
    if ('existing' in pieces.alerts) this.registerExisting(pieces.alerts.existing);
    else {
      renderNode(this, 'alert-topic', pieces.alerts.topic, this.references);
      renderNode(this, 'alert-topic-policy', pieces.alerts.policy, this.references);
    }

    const pairs = new Map<string, QueuePair>();
    for (const piece of pieces.queues) {
      const pair = new QueuePair(this, `${piece.settings.name}-queue`, { piece });
      new QueueAlarms(pair, 'alarms', { queuePair: pair, nodes: piece.alarms });
      for (const parameter of piece.parameters) renderNode(pair, kebab(parameter.id), parameter, this.references);
      pairs.set(piece.settings.name, pair);
    }
    this.queuePairs = pairs;
    if (pieces.operatorPolicy) renderNode(this, 'operator-policy', pieces.operatorPolicy, this.references);
    if (pieces.endpointsReadPolicy) renderNode(this, 'endpoints-read-policy', pieces.endpointsReadPolicy, this.references);

    const functions = new Map<string, BundledFunction>();
    for (const piece of pieces.functions) {
      const service = new BundledFunction(this, piece.settings.name, { piece });
      new FunctionAlarms(service, 'alarms', { function: service, nodes: piece.alarms });
      const mapping = piece.nodes.eventSourceMapping;
      if (mapping && piece.settings.consumes) {
        new QueueConsumer(service, 'consumer', { queue: this.queuePair(piece.settings.consumes.queue), function: service, node: mapping });
      }
      functions.set(piece.settings.name, service);
    }
    this.functions = functions;
    if (pieces.dashboard) renderNode(this, 'dashboard', pieces.dashboard, this.references);

    // Every node of the graph is rendered by one of the constructs above; a node type they do not
    // know yet must fail here rather than be left out of the stack.
    const missing = this.graph.nodes.filter((node) => !this.references.has(node.id)).map((node) => `${node.id} (${node.type})`);
    if (missing.length > 0) throw new Error(`MessagingEnvironment ${id}: graph nodes not rendered: ${missing.join(', ')}`);
  }

  /** The pair of a logical queue; throws naming the known queues when there is none. */
  queuePair(name: string): QueuePair {
    const pair = this.queuePairs.get(name);
    if (!pair) throw new Error(`no queue "${name}" in ${this.graph.environment} (known: ${[...this.queuePairs.keys()].join(', ')})`);
    return pair;
  }

  /** A graph value (an output's value) as Terraform tokens. */
  resolve(value: GraphValue): string {
    return this.references.resolve(value) as string;
  }

  private registerExisting(node: GraphNode & { existing: object }): void {
    this.references.register(node.id, node.existing);
  }
}

function graphOf(id: string, props: MessagingEnvironmentProps): EnvironmentGraph {
  if (isObject(props) && 'graph' in props) return (props as MessagingEnvironmentGraphProps).graph;
  const checked = checkProps(
    'MessagingEnvironment',
    id,
    props,
    {
      topology: { test: isObject, requirement: 'must be a topology { queues, functions }' },
      environments: { test: isObject, requirement: 'must be the environment profiles, e.g. { staging: {} }' },
      environment: { test: isString, requirement: 'must be the name of one of the profiles' },
    },
    '{ topology, environments, environment: "staging" }',
  ) as unknown as MessagingEnvironmentDescriptionProps;
  return buildGraph(checked.topology, checked.environments, checked.environment);
}
