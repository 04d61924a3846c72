/**
 * What a validation error does to the rest of the batch: one invalid item stops the run before any
 * request, or with Continue On Fail becomes an error item while the valid ones are created; a
 * problem of the whole run (the credential, Options) makes every item an error item.
 */
import {
	ACCOUNT_GROUP_FROM_JSON,
	GOOD_BUSINESS_GROUP,
	GOOD_USER_GROUP,
	USERS,
} from '../support/node-builders';
import { useNodeSuite } from '../support/node-suite';
import { UUID_FIX } from '../support/validation-cases';

const node = useNodeSuite(16);

describe('one invalid item among valid ones', () => {
	const items = [
		GOOD_USER_GROUP,
		GOOD_BUSINESS_GROUP,
		{ ...GOOD_USER_GROUP, userId: USERS[1] },
		{ ...GOOD_USER_GROUP, userId: 'nope' },
		{ ...GOOD_USER_GROUP, accountGroupType: 'ISA' },
	];

	test('without Continue On Fail the run stops before ANY request goes out', async () => {
		const result = await node.run(ACCOUNT_GROUP_FROM_JSON, items);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe('User ID must be a UUID, got text of 4 characters [item 3]');
		expect(result.items).toEqual([]);
		expect(node.sim.requests).toHaveLength(0);
		expect(node.sim.state.accountGroups).toHaveLength(0);
		node.expectNoLeak(result);
	});

	test('with Continue On Fail the valid items are created and the invalid ones become error items', async () => {
		const mixed = [...items];
		mixed[1] = { ...GOOD_BUSINESS_GROUP, san: '42' };
		const result = await node.run(ACCOUNT_GROUP_FROM_JSON, mixed, { continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(5);
		result.items.forEach((item, index) => expect(item.pairedItem).toEqual({ item: index }));
		expect(result.items[1].json).toEqual({
			error: 'Securities Account Number must be nine digits, got text of 2 characters [item 1]',
			description: 'Enter exactly nine digits, or remove the field to let Upvest assign one.',
		});
		expect(result.items[3].json).toEqual({
			error: 'User ID must be a UUID, got text of 4 characters [item 3]',
			description: expect.stringMatching(UUID_FIX),
		});
		for (const index of [0, 2, 4]) {
			expect(result.items[index].json.id).toEqual(expect.any(String));
			expect(result.items[index].json.user_id).toBe(mixed[index].userId);
		}
		expect(node.apiRecords()).toHaveLength(3);
		expect(node.apiRecords().every((record) => record.signature.valid)).toBe(true);
		expect(node.sim.state.accountGroups).toHaveLength(3);
		node.expectNoLeak(result);
	});
});

describe('run-level problems and odd idempotency keys', () => {
	// Errors raised before the item loop (the credential, Options) concern every item: with Continue
	// On Fail each input item becomes an error item, so no later node mistakes them for successes.
	test.each([
		[
			'a custom base URL ftp://x',
			{ baseUrl: 'ftp://x' },
			{},
			/^Base URL "ftp:\/\/x" is not an http\(s\) URL/,
		],
		['an empty key id', { keyId: '' }, {}, /^Key ID is empty/],
		[
			'Concurrency 0',
			{},
			{ concurrency: 0 },
			/^Concurrency must be a whole number from 1 to 32 \[item 0\]$/,
		],
	])(
		'with Continue On Fail, %s makes every item an error item and sends nothing',
		async (_name, change, options, message) => {
			const store = node.newStore('ed25519', change);
			const items = [GOOD_USER_GROUP, GOOD_BUSINESS_GROUP];
			const result = await node.run({ ...ACCOUNT_GROUP_FROM_JSON, options }, items, {
				store,
				continueOnFail: true,
			});
			expect(node.sim.requests).toHaveLength(0);
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(2);
			result.items.forEach((item, index) => {
				expect(item.pairedItem).toEqual({ item: index });
				expect(String(item.json.error)).toMatch(message);
				expect(String(item.json.description)).not.toBe('');
			});
			node.expectNoLeak(result);
		},
	);

	test('an idempotency key expression that gives an object is refused before anything is sent', async () => {
		const items = [
			{ ...GOOD_USER_GROUP, meta: { customer: 1 } },
			{ ...GOOD_USER_GROUP, meta: { customer: 2 } },
		];
		const result = await node.run(
			{
				...ACCOUNT_GROUP_FROM_JSON,
				options: { idempotencyKey: '={{ $json.meta }}', concurrency: 1 },
			},
			items,
		);
		expect(node.sim.requests).toHaveLength(0);
		expect(result.error?.message).toBe(
			'Idempotency Key must be text or a number, got an object [item 0]',
		);
		expect(result.error?.description).toMatch(/one value per item/);
		expect(node.sim.state.accountGroups).toHaveLength(0);
		node.expectNoLeak(result);
	});
});
