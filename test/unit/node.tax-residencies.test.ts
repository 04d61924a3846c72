/**
 * Tax Residency → Set and Get through n8n-core's real execution against the simulator: the exact
 * body (a number, or the reason there is none), the idempotency key, a set that replaces the one
 * before it, and Upvest's 404 before any was set.
 */
import { UNKNOWN_ID } from '../support/node-builders';
import { byId, setTaxResidencies, taxResidency } from '../support/onboarding-builders';
import { useOnboardingSuite } from '../support/onboarding-runs';
import { waitFor } from '../support/wait';

const { node, runs } = useOnboardingSuite(24);

const GERMAN_TIN = '86095742719';
const path = (userId: string) => `/users/${userId}/tax_residencies`;
const getResidencies = (userId: string) => taxResidency('get', { userId: byId(userId) });

test('Set with a number: the exact body and a key derived from it; the output is Upvest’s answer', async () => {
	const userId = await runs.user(0);
	const result = await runs.run(
		setTaxResidencies([{ country: 'DE', taxIdentifierNumber: '={{ $json.tin }}' }]),
		[{ userId, tin: GERMAN_TIN }],
	);
	expect(result.error).toBeUndefined();
	expect(runs.bodies('POST', path(userId))).toEqual([
		{ tax_residencies: [{ country: 'DE', tax_identifier_number: GERMAN_TIN }] },
	]);
	runs.expectDerivedKeys(path(userId));
	expect(result.items.map((item) => item.json)).toEqual([
		{
			created_at: expect.any(String),
			updated_at: expect.any(String),
			tax_residencies: [{ country: 'DE', tax_identifier_number: GERMAN_TIN }],
			status: 'PENDING',
		},
	]);
	node.expectNoLeak(result);
});

test('Set without a number: the reason is sent instead; Get shows the set', async () => {
	const userId = await runs.user(1);
	const residencies = [
		{ country: 'DE', taxIdentifierNumber: GERMAN_TIN, missingTinReason: '' },
		{ country: 'AE', taxIdentifierNumber: '', missingTinReason: 'COUNTRY_HAS_NO_TIN' },
	];
	await runs.ok(setTaxResidencies(residencies), [{ userId }]);
	const wire = [
		{ country: 'DE', tax_identifier_number: GERMAN_TIN },
		{ country: 'AE', missing_tin_reason: 'COUNTRY_HAS_NO_TIN' },
	];
	expect(runs.bodies('POST', path(userId))).toEqual([{ tax_residencies: wire }]);
	expect(await runs.get(getResidencies(userId))).toMatchObject({
		tax_residencies: wire,
		status: 'PENDING',
	});
	expect(runs.sent('GET', path(userId))).toHaveLength(1);
});

test('re-running the same input sets nothing new: Upvest replays the first answer', async () => {
	const userId = await runs.user(2);
	const parameters = setTaxResidencies([{ country: 'DE', taxIdentifierNumber: GERMAN_TIN }]);
	const [first] = await runs.ok(parameters, [{ userId }]);
	const [again] = await runs.ok(parameters, [{ userId }]);
	expect(again).toEqual(first);
	const posts = runs.sent('POST', path(userId));
	expect(posts.map((record) => record.replayed)).toEqual([false, true]);
	expect(posts[1].idempotencyKey).toBe(posts[0].idempotencyKey);
});

test('a new set replaces the one before it: created_at stays, the status starts over', async () => {
	const userId = await runs.user(3);
	node.sim.setConfig({ activationDelayMs: 20 });
	const [first] = await runs.ok(
		setTaxResidencies([{ country: 'DE', taxIdentifierNumber: GERMAN_TIN }]),
		[{ userId }],
	);
	// Upvest activates a set on its own after a while.
	await waitFor(
		'the set to turn ACTIVE',
		() => node.sim.state.taxResidencies[userId].status === 'ACTIVE',
	);
	node.sim.setConfig({ activationDelayMs: null });
	const replacement = [
		{ country: 'AT', missingTinReason: 'TIN_NOT_YET_ASSIGNED' },
		{ country: 'FR', taxIdentifierNumber: '3023217600053' },
	];
	await runs.ok(setTaxResidencies(replacement), [{ userId }]);
	const now = await runs.get(getResidencies(userId));
	expect(now).toEqual({
		created_at: first.created_at,
		updated_at: expect.any(String),
		tax_residencies: [
			{ country: 'AT', missing_tin_reason: 'TIN_NOT_YET_ASSIGNED' },
			{ country: 'FR', tax_identifier_number: '3023217600053' },
		],
		status: 'PENDING',
	});
	expect(now.updated_at).not.toBe(first.updated_at);
	// Another body, another key.
	const keys = runs.sent('POST', path(userId)).map((record) => record.idempotencyKey);
	expect(new Set(keys).size).toBe(2);
});

test('Get before any was set, and for an unknown user: Upvest’s 404', async () => {
	const userId = await runs.user(4);
	for (const [id, detail] of [
		[userId, `Tax residencies of user ${userId} not found`],
		[UNKNOWN_ID, `User ${UNKNOWN_ID} not found`],
	]) {
		await runs.notFound(getResidencies(id), [{}], detail);
	}
});
