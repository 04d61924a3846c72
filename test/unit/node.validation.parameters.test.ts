/**
 * Bad parameters never reach Upvest: every invalid field of a create (also from an expression)
 * and every invalid batch option ends in a NodeOperationError that starts with the field's name,
 * names the one broken item and gives the fix, before any request (not even the token's) is sent.
 */
import type { RunResult } from '../support/n8n-harness';
import { ACCOUNT_GROUP_FROM_JSON, GOOD_USER_GROUP, accountGroup } from '../support/node-builders';
import { useNodeSuite } from '../support/node-suite';
import { INVALID_OPTIONS, UUID_FIX } from '../support/validation-cases';
import { INVALID_ACCOUNT_GROUPS } from '../support/validation-cases.account-groups';
import { INVALID_ROLES } from '../support/validation-cases.roles';
import { expectRefusedBeforeSending, named } from '../support/validation-checks';

const node = useNodeSuite(64);

/** Nothing went out and nothing was created. */
function expectNothingSent(result: RunResult) {
	expect(node.sim.requests).toHaveLength(0);
	expect(node.sim.state.accountGroups).toHaveLength(0);
	expect(node.sim.state.roles).toHaveLength(0);
	node.expectNoLeak(result);
}

describe.each([
	['Account Group → Create', INVALID_ACCOUNT_GROUPS],
	['Role → Create', INVALID_ROLES],
	['Options', INVALID_OPTIONS],
])('%s: an invalid value is refused before sending', (_what, cases) => {
	test.each(named(cases))('%s', async (_name, invalid) => {
		const result = await node.run(invalid.parameters, invalid.items);
		expectRefusedBeforeSending(node, result, invalid);
		expectNothingSent(result);
	});
});

describe('how the value is given and shown', () => {
	test('the same field given directly (not through an expression) is checked the same way', async () => {
		const result = await node.run(
			accountGroup('create', {
				ownerType: 'user',
				userId: 'not-a-uuid',
				accountGroupType: 'PERSONAL',
			}),
			[{}, {}],
		);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe(
			'User ID must be a UUID, got text of 10 characters [item 0]',
		);
		expect(result.error?.description).toMatch(UUID_FIX);
		expectNothingSent(result);
	});

	test('the message never repeats the value: a name mapped into an ID field stays out of it', async () => {
		const name = 'Erika Mustermann-Gabler';
		const result = await node.run(ACCOUNT_GROUP_FROM_JSON, [{ ...GOOD_USER_GROUP, userId: name }]);
		expect(result.error?.message).toBe(
			'User ID must be a UUID, got text of 23 characters [item 0]',
		);
		expect(JSON.stringify(result.error)).not.toContain('Mustermann');
		expectNothingSent(result);
	});
});
