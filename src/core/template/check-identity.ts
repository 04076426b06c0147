import type { IdentifierKind } from '../identity/identifier-kind.js';
import type { TemplateProblem } from './template-problem.js';
import type { DatasetSpec, Template } from './template-types.js';

/**
 * Cross-field rules of the match keys: no key listed twice; every key is complete (all its
 * kinds are identifier columns) in at least two datasets of different owners, or it could
 * never match anybody; every dataset holds at least one complete key, or none of its rows
 * could ever match.
 *
 * @example
 * ```ts
 * checkIdentity(template); // [] when every key can match
 * ```
 */
export function checkIdentity(template: Template): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const seen = new Map<string, number>();
  const datasets = Object.entries(template.datasets);
  template.identity.matchKeys.forEach((key, index) => {
    const path = `identity.matchKeys.${index}`;
    const id = [...key].sort().join('+');
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      problems.push({
        code: 'duplicate_match_key',
        path,
        message: `Cannot use match key [${key.join(', ')}] twice: it repeats identity.matchKeys.${earlier}`,
      });
      return;
    }
    seen.set(id, index);
    const holders = datasets.filter(([, dataset]) => holdsKey(dataset, key));
    const owners = new Set(holders.map(([, dataset]) => dataset.owner));
    if (owners.size < 2) {
      const held = holders.length === 0 ? 'no dataset has all of it' : `only ${holders.map(([name]) => name).join(', ')} (owner ${[...owners].join(', ')}) has all of it`;
      problems.push({
        code: 'match_key_unmatched',
        path,
        message: `Cannot match on [${key.join(', ')}]: a match key must be identifier columns of datasets of at least two different owners; ${held}`,
      });
    }
  });
  for (const [name, dataset] of datasets) {
    if (template.identity.matchKeys.some((key) => holdsKey(dataset, key))) continue;
    problems.push({
      code: 'dataset_unmatchable',
      path: `datasets.${name}.columns`,
      message: `Cannot match any row of dataset '${name}': it has the identifier columns of no match key (identifiers: ${identifierKinds(dataset).join(', ') || 'none'})`,
    });
  }
  problems.push(...checkGraph(template));
  problems.push(...checkDoubleBlind(template));
  return problems;
}

/**
 * Double-blind matching runs between exactly two parties (each blinds the other's values a
 * second time): exactly two roles contribute identifiers, and no identity graph (a third
 * party's bridge would need a blinding by every side).
 */
function checkDoubleBlind(template: Template): TemplateProblem[] {
  if (template.identity.hashing !== 'double-blind') return [];
  const contributing = new Set(Object.values(template.datasets).filter((d) => identifierKinds(d).length > 0).map((d) => d.owner));
  if (contributing.size === 2 && template.identity.graph === undefined) return [];
  const why = template.identity.graph !== undefined ? 'it bridges through an identity graph' : `${contributing.size} roles contribute identifiers (${[...contributing].join(', ')})`;
  return [{ code: 'double_blind_parties', path: 'identity.hashing', message: `Cannot match double-blind: the exchange runs between exactly two roles that contribute identifiers, and ${why}` }];
}

/**
 * The identity graph's rules: its dataset exists, has a `personKey` (the partner's person
 * id), belongs to a role that contributes no other dataset (the identity partner, a third
 * member), and no analysis reads it: the graph only bridges, it is never analysed or released.
 */
function checkGraph(template: Template): TemplateProblem[] {
  const graph = template.identity.graph;
  if (graph === undefined) return [];
  const path = 'identity.graph.dataset';
  const spec = Object.hasOwn(template.datasets, graph.dataset) ? template.datasets[graph.dataset] : undefined;
  if (spec === undefined) {
    return [{ code: 'graph_unknown', path, message: `Cannot bridge through dataset '${graph.dataset}': no such dataset (datasets: ${Object.keys(template.datasets).join(', ')})` }];
  }
  const problems: TemplateProblem[] = [];
  if (spec.personKey === undefined) {
    problems.push({ code: 'graph_without_person', path: `datasets.${graph.dataset}.personKey`, message: `Cannot bridge through '${graph.dataset}': an identity graph needs a personKey, the partner's person id that ties its rows to one person` });
  }
  const others = Object.entries(template.datasets).filter(([name, dataset]) => name !== graph.dataset && dataset.owner === spec.owner);
  if (others.length > 0) {
    problems.push({ code: 'graph_owner_contributes', path: `datasets.${graph.dataset}.owner`, message: `Cannot bridge through '${graph.dataset}': its owner ${spec.owner} also contributes ${others.map(([name]) => name).join(', ')}; the identity partner is a role of its own` });
  }
  for (const [name, analysis] of Object.entries(template.analyses)) {
    const at = analysis.datasets.indexOf(graph.dataset);
    if (at === -1) continue;
    const why = enrichmentProblem(analysis, graph.dataset, spec.owner);
    if (why === undefined) continue;
    problems.push({ code: 'graph_analysed', path: `analyses.${name}.datasets.${at}`, message: `Cannot analyse the identity graph '${graph.dataset}' in '${name}': ${why}` });
  }
  return problems;
}

/**
 * Enrichment is the one use of the graph beside bridging: an `aggregate` (counts, or measures of
 * the other dataset) or an `activation` (of the other dataset's own people) may read its
 * attribute columns, as dimensions and filters, and never deliver anything to the partner.
 * Returns why an analysis over the graph is not that, or undefined when it is.
 */
function enrichmentProblem(analysis: Template['analyses'][string], graph: string, partner: string): string | undefined {
  const only = 'the graph only bridges matches and enriches an aggregate or an activation of the other party\'s people by its attributes';
  if (analysis.kind === 'aggregate') {
    if (analysis.measures.some((measure) => measure.split('.')[0] === graph)) return `its measures may not be the graph's columns; ${only}`;
  } else if (analysis.kind === 'activation') {
    if (analysis.audience === graph) return `the graph's people are never an audience; ${only}`;
  } else {
    return `a ${analysis.kind} analysis may not read it; ${only}`;
  }
  if (analysis.receives.includes(partner)) return `its owner ${partner} may not receive results over its own graph`;
  return undefined;
}

function holdsKey(dataset: DatasetSpec, key: readonly IdentifierKind[]): boolean {
  const kinds = identifierKinds(dataset);
  return key.every((kind) => kinds.includes(kind));
}

function identifierKinds(dataset: DatasetSpec): IdentifierKind[] {
  return Object.values(dataset.columns).flatMap((column) => (column.identifier === undefined ? [] : [column.identifier]));
}
