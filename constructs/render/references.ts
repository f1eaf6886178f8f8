/**
 * What the cdktf renderer knows about the nodes it has rendered: the attributes a reference reads
 * (Terraform tokens, or the literal values of a referenced node) and the resources each node
 * became, for `dependsOn`. Constructs that work together share one (a child looks in its
 * parent's), so a queue pair's ARN is found by the consumer that reads it.
 */
import type { ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import { resolveValue, type GraphValue, type NodeRef, type RefAttribute } from '../../model';
import { AwsAccount } from './aws-account';

/**
 * What a node is known by: each attribute a reference may read, as a value (a referenced node's
 * ARN) or as a function giving it (a rendered resource's token, created only when something reads
 * it: cdktf captures a stack trace for every token, which dominates synth time at scale).
 */
export type NodeAttributes = Readonly<Partial<Record<RefAttribute, string | (() => string)>>>;

/** The References each construct tree shares, by the construct that owns them. */
const OWNERS = new WeakMap<Construct, References>();

export class References {
  /**
   * The References of the nearest enclosing construct that owns one (a MessagingEnvironment), or
   * new ones owned by `scope`: constructs used together in one environment find each other's nodes.
   */
  static within(scope: Construct): References {
    for (const ancestor of [...scope.node.scopes].reverse()) {
      const found = OWNERS.get(ancestor);
      if (found) return found;
    }
    return References.ownedBy(scope);
  }

  /** New References owned by `scope`. */
  static ownedBy(scope: Construct): References {
    const references = new References(scope);
    OWNERS.set(scope, references);
    return references;
  }

  private readonly attributes = new Map<string, NodeAttributes>();
  /** Tokens already created, by node and attribute: one token per attribute, however often read. */
  private readonly tokens = new Map<string, string>();
  private readonly resources = new Map<string, ITerraformDependable[]>();

  constructor(
    /** Where account strings get their data sources. */
    private readonly scope: Construct,
    private readonly parent?: References,
  ) {}

  /** Records what a node is known by, and the resources it became. */
  register(nodeId: string, attributes: NodeAttributes, resources: readonly ITerraformDependable[] = []): void {
    this.attributes.set(nodeId, attributes);
    this.resources.set(nodeId, [...resources]);
  }

  has(nodeId: string): boolean {
    return this.attributes.has(nodeId) || (this.parent?.has(nodeId) ?? false);
  }

  /** The value a reference reads; throws naming the node and attribute when it is unknown. */
  read(ref: NodeRef): string {
    const attributes = this.attributes.get(ref.$ref);
    if (attributes === undefined) {
      if (this.parent) return this.parent.read(ref);
      throw new Error(`the graph refers to node "${ref.$ref}", which was not rendered in this stack (known: ${[...this.attributes.keys()].join(', ') || 'none'})`);
    }
    const value = attributes[ref.$attribute];
    if (value === undefined) throw new Error(`node "${ref.$ref}" has no attribute "${ref.$attribute}" to refer to`);
    if (typeof value !== 'function') return value;
    const key = `${ref.$ref}\0${ref.$attribute}`;
    let token = this.tokens.get(key);
    if (token === undefined) this.tokens.set(key, (token = value()));
    return token;
  }

  /** The resources a node became (empty for a referenced node). */
  resourcesOf(nodeId: string): ITerraformDependable[] {
    return this.resources.get(nodeId) ?? this.parent?.resourcesOf(nodeId) ?? [];
  }

  /** A graph value (a property, a policy document) with every reference and account string turned into Terraform tokens. */
  resolve(value: GraphValue | object): unknown {
    return resolveValue(value as GraphValue, {
      ref: (ref) => this.read(ref),
      accountString: (text) => AwsAccount.of(this.scope).fill(text),
    });
  }
}
