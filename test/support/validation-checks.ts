/**
 * What every invalid-parameter case must show: the run stopped before anything was sent, with a
 * NodeOperationError that starts with the field's name, names the one broken item and gives the
 * fix. Shared by the validation suites of the account-group, role and onboarding operations.
 */
import type { RunResult } from './n8n-harness';
import type { NodeSuite } from './node-suite';
import type { InvalidCase } from './validation-cases';

/** The cases of a table as `[name, case]` rows for `test.each`. */
export const named = <T extends InvalidCase>(cases: T[]) =>
	cases.map((invalid) => [invalid.name, invalid] as const);

export function expectRefusedBeforeSending(
	node: NodeSuite,
	result: RunResult,
	invalid: InvalidCase,
): void {
	expect(result.items).toEqual([]);
	const error = result.error;
	expect(error).toBeDefined();
	expect(error?.name).toBe('NodeOperationError');
	expect(error?.message.startsWith(invalid.field)).toBe(true);
	expect(error?.message).toMatch(invalid.message);
	expect(error?.message.match(/\[item \d+\]/g)).toEqual([`[item ${invalid.index}]`]);
	expect(error?.description).toMatch(invalid.fix);
	expect(error?.context?.itemIndex).toBe(invalid.index);
	// Validation comes first: not even the token request went out.
	expect(node.sim.requests).toHaveLength(0);
}
