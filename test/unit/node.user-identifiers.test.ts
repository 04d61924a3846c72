/**
 * User Identifier → Create and Get Many through n8n-core's real execution against the
 * simulator: the exact body, CONCAT without an identifier, no identifier added twice although
 * Upvest takes no idempotency key for them, and why some users need one: a Polish national stays
 * INACTIVE after their KYC check passed until their identifier is added.
 */
import type { IDataObject } from 'n8n-workflow';

import { UNKNOWN_ID } from '../support/node-builders';
import { byId, createIdentifier, user, userIdentifier } from '../support/onboarding-builders';
import { useOnboardingSuite } from '../support/onboarding-runs';

const { node, runs } = useOnboardingSuite(24);

const PESEL = '02070803628';

/** A user created through the node, and the input of an identifier for them. */
async function userWithInput(n: number, nationalities = ['PL']): Promise<IDataObject> {
	return { userId: await runs.user(n, { nationalities }), pesel: PESEL };
}
const identifiersPath = (input: IDataObject) => `/users/${String(input.userId)}/identifiers`;
const stored = () =>
	node.sim.state.identifiers.map((entry) => JSON.parse(JSON.stringify(entry)) as IDataObject);

describe('User Identifier → Create', () => {
	test('the exact body, without a key; the lookup comes first; the output is the identifier', async () => {
		const input = await userWithInput(0);
		const result = await runs.run(createIdentifier(), [input]);
		expect(result.error).toBeUndefined();
		expect(runs.bodies('POST', identifiersPath(input))).toEqual([
			{ type: 'NATIONAL_ID', issuing_country: 'PL', identifier: PESEL },
		]);
		const [post] = runs.sent('POST', identifiersPath(input));
		expect(post.idempotencyKey).toBeUndefined();
		expect(post.signature.valid).toBe(true);
		expect(
			node
				.apiRecords()
				.slice(-2)
				.map((record) => [record.method, record.path]),
		).toEqual([
			['GET', identifiersPath(input)],
			['POST', identifiersPath(input)],
		]);
		expect(result.items.map((item) => item.json)).toEqual([
			{ ...stored()[0], alreadyExisted: false },
		]);
		expect(result.items[0].json).toMatchObject({
			user_id: input.userId,
			identifier_standard: 'PESEL',
			identifier: PESEL,
		});
		node.expectNoLeak(result);
	});

	test('a passport with its standard named', async () => {
		const input = await userWithInput(1);
		await runs.ok(
			createIdentifier({
				identifierType: 'PASSPORT',
				additionalFields: { identifierStandard: 'PESEL' },
			}),
			[input],
		);
		expect(runs.bodies('POST', identifiersPath(input))).toEqual([
			{ type: 'PASSPORT', issuing_country: 'PL', identifier_standard: 'PESEL', identifier: PESEL },
		]);
	});

	test('CONCAT: no identifier is sent, Upvest makes it from name and birth date', async () => {
		const input = await userWithInput(2, ['FR']);
		const concat = createIdentifier({
			issuingCountry: 'FR',
			identifier: '',
			additionalFields: { identifierStandard: 'CONCAT' },
		});
		const [created] = await runs.ok(concat, [input]);
		expect(runs.bodies('POST', identifiersPath(input))).toEqual([
			{ type: 'NATIONAL_ID', issuing_country: 'FR', identifier_standard: 'CONCAT' },
		]);
		expect(created).toMatchObject({ identifier_standard: 'CONCAT', alreadyExisted: false });
		expect(String(created.identifier)).toMatch(/^FR19840229/);
		// A re-run finds it by type, country and standard.
		const [again] = await runs.ok(concat, [input]);
		expect(again).toMatchObject({ id: created.id, alreadyExisted: true });
		expect(node.sim.state.identifiers).toHaveLength(1);
	});

	test('re-running the same input finds the identifier and adds nothing', async () => {
		const input = await userWithInput(3);
		const [first] = await runs.ok(createIdentifier(), [input]);
		const [again] = await runs.ok(createIdentifier(), [input]);
		expect(runs.sent('POST', identifiersPath(input))).toHaveLength(1);
		expect(again).toEqual({ ...first, alreadyExisted: true });
		expect(node.sim.state.identifiers).toHaveLength(1);
	});

	test('the same identifier on two items of one run goes out once; both items show it', async () => {
		const input = await userWithInput(4);
		const output = await runs.ok(createIdentifier(), [input, input]);
		expect(runs.sent('POST', identifiersPath(input))).toHaveLength(1);
		expect(output.map((item) => item.alreadyExisted)).toEqual([false, true]);
		expect(output[1].id).toBe(output[0].id);
	});

	test('an unknown user is Upvest’s 404 and nothing is added', async () => {
		const input = { userId: UNKNOWN_ID, pesel: PESEL };
		await runs.notFound(createIdentifier(), [input], `User ${UNKNOWN_ID} not found`);
		expect(runs.sent('POST', /identifiers$/)).toHaveLength(0);
	});
});

test('Get Many: every identifier of the user, or the first Limit of them', async () => {
	const input = await userWithInput(5);
	await runs.ok(createIdentifier(), [input]);
	await runs.ok(createIdentifier({ identifierType: 'PASSPORT' }), [input]);
	const userId = byId(String(input.userId));
	const all = await runs.ok(userIdentifier('getAll', { userId, returnAll: true }));
	expect(all).toEqual(stored());
	expect(all.map((entry) => entry.type)).toEqual(['NATIONAL_ID', 'PASSPORT']);
	const first = await runs.ok(userIdentifier('getAll', { userId, limit: 1 }));
	expect(first).toEqual(stored().slice(0, 1));
	// Upvest answers the whole list: no paging query.
	expect(runs.sent('GET', identifiersPath(input)).map((record) => record.query)).toEqual([
		null,
		null,
		null,
		null,
	]);
});

test('a Polish national stays INACTIVE after the KYC check passed until the identifier is added', async () => {
	const input = await userWithInput(6);
	const userId = String(input.userId);
	node.sim.setStatus({ checkId: await runs.kyc(userId, 6), status: 'PASSED' });
	const status = async () => (await runs.get(user('get', { userId: byId(userId) }))).status;
	expect(await status()).toBe('INACTIVE');
	await runs.ok(createIdentifier(), [input]);
	expect(await status()).toBe('ACTIVE');
});
