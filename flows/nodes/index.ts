// The registry of node types, and the typed shape of a loaded flow. Adding a node type = one file + one line here.
import type { z } from 'zod';
import { END, type FlowMeta, type NodeModule, type NodeResult, type Target } from '../types.js';
import { collect } from './collect.js';
import { conditionNode } from './condition.js';
import { hangup } from './hangup.js';
import { hours } from './hours.js';
import { lookup } from './lookup.js';
import { menu } from './menu.js';
import { play } from './play.js';
import { queue } from './queue.js';
import { callback } from './callback.js';
import { set } from './set.js';
import { survey } from './survey.js';
import { transfer } from './transfer.js';
import { voicemail } from './voicemail.js';

export const nodeTypes = {
  play, menu, collect, condition: conditionNode, hours, set, queue, callback, voicemail, survey, transfer, hangup, lookup,
} as const;

export type NodeTypes = typeof nodeTypes;
export type NodeType = keyof NodeTypes;
export type ParamsOf<T extends NodeType> = z.output<NodeTypes[T]['schema']>;
export type OutcomeOf<T extends NodeType> = NodeTypes[T]['outcomes'][number];

export function isNodeType(t: unknown): t is NodeType {
  return typeof t === 'string' && Object.hasOwn(nodeTypes, t);
}

/** The module for a type, widened so that callers holding a FlowNode can run it without a type switch. */
export function nodeModule(t: NodeType): NodeModule {
  return nodeTypes[t] as unknown as NodeModule;
}

/**
 * A validated node. `on` is complete: it has an entry for every outcome of the type except the choices outcome
 * (menu 'chosen'), with implied outcomes filled in and `END` for outcomes that end the call.
 */
export type FlowNode = {
  [T in NodeType]: { id: string; type: T; params: ParamsOf<T>; on: Record<OutcomeOf<T>, Target> };
}[NodeType];

export interface Flow {
  version: 1;
  start: string;
  nodes: Record<string, FlowNode>;
  meta: FlowMeta;
}

/**
 * Where the flow goes after `node` returned `result`: a node id, or END. For the choices outcome it is the chosen
 * option's target. Throws only on a result the node type cannot produce (a bug, not a flow problem).
 */
export function nextTarget(node: FlowNode, result: NodeResult): Target {
  const m = nodeModule(node.type);
  if (m.choices && result.outcome === m.choices.outcome) {
    const map = (node.params as Record<string, unknown>)[m.choices.param] as Record<string, string>;
    const t = result.option === undefined ? undefined : map[result.option];
    if (t === undefined) throw new Error(`node ${node.id}: option ${String(result.option)} is not in ${m.choices.param}`);
    return t;
  }
  const t = (node.on as Record<string, Target>)[result.outcome];
  if (t === undefined) throw new Error(`node ${node.id} (${node.type}) returned unknown outcome ${result.outcome}`);
  return t;
}

export { END };
