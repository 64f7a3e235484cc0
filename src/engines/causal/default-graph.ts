import { CausalInputError } from './errors.js';
import type { CausalGraph, Dataset } from './types.js';

/**
 * The graph assumed when a what-if question comes without one: `variable → outcome`,
 * and every other column a common cause of both (provenance 'assumed').
 *
 * @example
 * counterfactualGraph({ price: [], sales: [], season: [] }, 'price', 'sales');
 * // edges: price→sales, season→price, season→sales
 */
export function counterfactualGraph(data: Dataset, variable: string, outcome: string): CausalGraph {
  for (const name of [variable, outcome]) {
    if (!(name in data))
      throw new CausalInputError('unknown_column', `no column "${name}" in the data`, {
        field: name,
      });
  }
  if (variable === outcome)
    throw new CausalInputError('invalid_argument', 'variable and outcome must differ');
  const others = Object.keys(data).filter((c) => c !== variable && c !== outcome);
  return {
    nodes: [variable, outcome, ...others].map((id) => ({ id })),
    edges: [
      { from: variable, to: outcome, provenance: 'assumed' },
      ...others.flatMap((c) => [
        { from: c, to: variable, provenance: 'assumed' as const },
        { from: c, to: outcome, provenance: 'assumed' as const },
      ]),
    ],
  };
}
