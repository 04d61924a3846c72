/**
 * Every field kind of the onboarding operations is checked before anything is sent, by Upvest's
 * rules: the error starts with the field's name, names the one broken item, gives the fix, and
 * never repeats the value (it may be a customer's personal data).
 */
import { useNodeSuite } from '../support/node-suite';
import { serializeForSearch } from '../support/secrets';
import {
	INVALID_ACCOUNTS,
	INVALID_BUSINESSES,
	INVALID_CHECKS,
	INVALID_IDENTIFIERS,
	INVALID_TAX_RESIDENCIES,
	INVALID_USERS,
} from '../support/validation-cases.onboarding';
import { expectRefusedBeforeSending, named } from '../support/validation-checks';

const node = useNodeSuite(64);

describe.each([
	['User → Create', INVALID_USERS],
	['User Check → Create', INVALID_CHECKS],
	['User Identifier → Create', INVALID_IDENTIFIERS],
	['Tax Residency → Set', INVALID_TAX_RESIDENCIES],
	['Business → Create', INVALID_BUSINESSES],
	['Account → Create', INVALID_ACCOUNTS],
])('%s: an invalid value is refused before sending', (_what, cases) => {
	test.each(named(cases))('%s', async (_name, invalid) => {
		const result = await node.run(invalid.parameters, invalid.items);
		expectRefusedBeforeSending(node, result, invalid);
		if (invalid.value !== '') expect(serializeForSearch(result.error)).not.toContain(invalid.value);
	});
});

test('with Continue On Fail the broken item becomes an error item and the others are sent', async () => {
	const [invalid] = INVALID_TAX_RESIDENCIES;
	const store = node.newStore('ed25519', { scopes: 'taxes:admin users:admin' });
	const result = await node.run(invalid.parameters, invalid.items, { store, continueOnFail: true });
	expect(result.items[invalid.index].json.error).toMatch(invalid.message);
	// The other two items went to Upvest (their user is unknown there: 404, not a validation error).
	expect(
		node.apiRecords().filter((record) => record.path.endsWith('/tax_residencies')),
	).toHaveLength(2);
});
