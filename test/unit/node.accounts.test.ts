/**
 * Account → Create, Get, Get Many, Update and Close through n8n-core's real execution against
 * the simulator: the exact requests, the derived idempotency key, what is output, 404s, 403s and
 * the 409 of a second close, and an account's life as the node sees it: pending until its
 * owner's KYC check passed, then ACTIVE.
 */
import type { IDataObject } from 'n8n-workflow';

import { BUSINESSES, UNKNOWN_ID, USERS } from '../support/node-builders';
import {
	account,
	byId,
	createAccount,
	createCheck,
	customer,
} from '../support/onboarding-builders';
import { useOnboardingSuite } from '../support/onboarding-runs';
import { waitFor } from '../support/wait';

const { node, runs } = useOnboardingSuite(40);
beforeEach(() => node.sim.setConfig({ maxPageSize: 1000 }));

const [USER, OTHER_USER] = USERS;
const [BUSINESS] = BUSINESSES;
/** What the simulator holds, as the API answers it. */
const stored = (id: unknown) =>
	JSON.parse(
		JSON.stringify(node.sim.state.accounts.find((entry) => entry.id === id)),
	) as IDataObject;

function seedAccounts(
	count: number,
	owner: { userId?: string; businessId?: string },
	createdFrom?: string,
) {
	return node.sim.seed({ accounts: { count, ...owner, createdFrom } }).accounts;
}

/** A user and their account group, both created through the node. */
async function userWithGroup(n = 0) {
	const userId = await runs.user(n);
	return { userId, groupId: await runs.group({ userId }) };
}

describe('Account → Create', () => {
	test('of a user: the exact body, a key derived from it; the output is the account', async () => {
		const { userId, groupId } = await userWithGroup(0);
		const parameters = createAccount('user', { additionalFields: { name: '={{ $json.name }}' } });
		const input = { userId, groupId, name: `Depot ${String(customer(0).firstName)}` };
		const result = await runs.run(parameters, [input]);
		expect(result.error).toBeUndefined();

		const body = { user_id: userId, account_group_id: groupId, type: 'TRADING', name: input.name };
		expect(runs.bodies('POST', '/accounts')).toEqual([body]);
		runs.expectDerivedKeys('/accounts');
		expect(result.items).toHaveLength(1);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(result.items[0].json).toEqual(stored(result.items[0].json.id));
		expect(result.items[0].json).toMatchObject({
			account_group_id: groupId,
			type: 'TRADING',
			name: input.name,
			users: [{ id: userId, type: 'OWNER' }],
			status: 'PENDING_APPROVAL',
		});
		node.expectNoLeak(result);
	});

	test('without a name no name is sent; a portfolio account', async () => {
		const { userId, groupId } = await userWithGroup(1);
		await runs.account({ userId }, groupId, { accountType: 'PORTFOLIO' });
		expect(runs.bodies('POST', '/accounts')).toEqual([
			{ user_id: userId, account_group_id: groupId, type: 'PORTFOLIO' },
		]);
	});

	test('of a business: {business_id, account_group_id, type}; the account names the business', async () => {
		const businessId = await runs.business(0);
		const groupId = await runs.group({ businessId });
		const created = await runs.account({ businessId }, groupId);
		expect(runs.bodies('POST', '/accounts')).toEqual([
			{ business_id: businessId, account_group_id: groupId, type: 'TRADING' },
		]);
		expect(created).toMatchObject({ business_id: businessId, status: 'PENDING_APPROVAL' });
		expect(created.users).toBeUndefined();
	});

	test('re-running the same input creates nothing: Upvest replays the first answer', async () => {
		const { userId, groupId } = await userWithGroup(2);
		const first = await runs.account({ userId }, groupId);
		const again = await runs.account({ userId }, groupId);
		expect(again.id).toBe(first.id);
		expect(node.sim.state.accounts).toHaveLength(1);
		const posts = runs.sent('POST', '/accounts');
		expect(posts.map((record) => record.replayed)).toEqual([false, true]);
		expect(posts[1].idempotencyKey).toBe(posts[0].idempotencyKey);
	});

	test('an account group Upvest does not know: its 404, named with the item', async () => {
		await runs.notFound(
			createAccount(),
			[{ userId: USER, groupId: UNKNOWN_ID }],
			`Account group ${UNKNOWN_ID} not found`,
		);
		expect(node.sim.state.accounts).toHaveLength(0);
	});
});

describe('Account → Get', () => {
	test('by ID, from the list, or as a plain string saved before the picker; an unknown ID is a 404', async () => {
		const [id] = seedAccounts(1, { userId: USER });
		for (const value of [byId(id), { __rl: true, mode: 'list', value: id }, id]) {
			expect(await runs.get(account('get', { accountId: value }))).toEqual(stored(id));
		}
		expect(runs.sent('GET', `/accounts/${id}`)).toHaveLength(3);
		const unknown = { accountId: byId(UNKNOWN_ID) };
		await runs.notFound(account('get', unknown), [{}], `Account ${UNKNOWN_ID} not found`);
	});
});

describe('Account → Get Many', () => {
	const ids = (items: IDataObject[]) => items.map((item) => item.id);

	test('every account, those of a user and those of a business, with sort and order', async () => {
		// Each seeding ends its history now unless told otherwise: these follow each other.
		const mine = seedAccounts(3, { userId: USER }, '2026-01-01T00:00:00Z');
		const theirs = seedAccounts(2, { userId: OTHER_USER }, '2026-02-01T00:00:00Z');
		const business = seedAccounts(2, { businessId: BUSINESS }, '2026-03-01T00:00:00Z');

		expect(ids(await runs.ok(account('getAll', { returnAll: true })))).toEqual([
			...mine,
			...theirs,
			...business,
		]);
		const byUpdate = await runs.ok(
			account('getAll', { returnAll: true, options: { sort: 'updated_at', order: 'DESC' } }),
		);
		expect(byUpdate.map((item) => item.updated_at)).toEqual(
			node.sim.state.accounts
				.map((entry) => String(entry.updated_at))
				.sort()
				.reverse(),
		);
		expect(
			ids(await runs.ok(account('getAll', { ownedBy: 'user', userId: byId(USER), limit: 10 }))),
		).toEqual(mine);
		expect(
			ids(
				await runs.ok(
					account('getAll', {
						ownedBy: 'business',
						businessId: byId(BUSINESS),
						returnAll: true,
						options: { order: 'DESC' },
					}),
				),
			),
		).toEqual([...business].reverse());
		expect(node.apiRecords().map((record) => `${record.path}?${record.query}`)).toEqual([
			'/accounts?offset=0&limit=1000',
			'/accounts?sort=updated_at&order=DESC&offset=0&limit=1000',
			`/users/${USER}/accounts?offset=0&limit=10`,
			`/businesses/${BUSINESS}/accounts?order=DESC&offset=0&limit=1000`,
		]);
	});

	test('pages shorter than asked: Return All pages to the end, Limit stops where it has enough', async () => {
		node.sim.setConfig({ maxPageSize: 2 });
		const mine = seedAccounts(5, { userId: USER });
		const listOfUser = { ownedBy: 'user', userId: byId(USER) };
		expect(ids(await runs.ok(account('getAll', { ...listOfUser, returnAll: true })))).toEqual(mine);
		expect(ids(await runs.ok(account('getAll', { ...listOfUser, limit: 3 })))).toEqual(
			mine.slice(0, 3),
		);
		expect(node.apiRecords().map((record) => record.query)).toEqual([
			'offset=0&limit=1000',
			'offset=2&limit=1000',
			'offset=4&limit=1000',
			'offset=0&limit=3',
			'offset=2&limit=1',
		]);
	});
});

describe('Account → Update', () => {
	test('sends PATCH with {name} and nothing else; the output is the renamed account', async () => {
		const [id] = seedAccounts(1, { userId: USER });
		const before = stored(id);
		const renamed = await runs.ok(
			account('update', { accountId: byId(id), name: '={{ $json.name }}' }),
			[{ name: 'Altersvorsorge' }],
		);
		const [patch] = runs.sent('PATCH', `/accounts/${id}`);
		expect(JSON.parse(patch.body)).toEqual({ name: 'Altersvorsorge' });
		expect(patch.idempotencyKey).toBeUndefined();
		expect(patch.status).toBe(200);
		expect(renamed).toEqual([stored(id)]);
		expect(renamed[0]).toMatchObject({
			...before,
			name: 'Altersvorsorge',
			updated_at: expect.any(String),
		});
		expect(renamed[0].updated_at).not.toBe(before.updated_at);

		await runs.notFound(
			account('update', { accountId: byId(UNKNOWN_ID), name: 'x' }),
			[{}],
			`Account ${UNKNOWN_ID} not found`,
		);
	});
});

describe('Account → Close', () => {
	test('202 without a body: the item is {id, closeRequested}; a second close is a 409 with the fix', async () => {
		const [id] = seedAccounts(1, { userId: USER });
		const closed = await runs.ok(account('close', { accountId: byId(id) }));
		expect(closed).toEqual([{ id, closeRequested: true }]);
		const [request] = runs.sent('DELETE', `/accounts/${id}`);
		expect([request.status, request.body]).toEqual([202, '']);
		expect(node.sim.state.accounts[0].status).toBe('CLOSING');

		const again = await runs.run(account('close', { accountId: byId(id) }), [{}]);
		expect(again.error?.message).toBe(
			'Upvest answered 409 Conflict: the account’s status does not allow closing it [item 0]',
		);
		expect(again.error?.httpCode).toBe('409');
		expect(again.error?.description).toContain('the account is CLOSING');
		expect(again.error?.description).toContain(
			'An account that is already CLOSING or CLOSED, or LOCKED, cannot be closed: check it with Account → Get.',
		);
		// A 409 is an answer, not a fault: it is not retried.
		expect(runs.sent('DELETE', `/accounts/${id}`)).toHaveLength(2);
	});

	test('an unknown account is a 404 and nothing changes', async () => {
		const [id] = seedAccounts(1, { userId: USER });
		const unknown = { accountId: byId(UNKNOWN_ID) };
		await runs.notFound(account('close', unknown), [{}], `Account ${UNKNOWN_ID} not found`);
		expect(stored(id).status).toBe('ACTIVE');
	});
});

test('a credential without accounts:admin: create, update and close say which scope to add', async () => {
	const [id] = seedAccounts(1, { userId: USER });
	const [groupId] = node.sim.seed({ accountGroups: { count: 1, userId: USER } }).accountGroups;
	const readOnly = () => node.newStore('ed25519', { scopes: 'accounts:read users:admin' });
	for (const [parameters, item] of [
		[createAccount(), { userId: USER, groupId }],
		[account('update', { accountId: byId(id), name: 'Depot' }), {}],
		[account('close', { accountId: byId(id) }), {}],
	] as const) {
		const result = await node.run(parameters, [item], { store: readOnly() });
		expect(result.error?.message).toBe('Upvest answered 403 Forbidden [item 0]');
		expect(result.error?.description).toContain('Missing required scope: accounts:admin');
		expect(result.error?.description).toContain(
			'Add accounts:admin to the Scopes of the Upvest credential',
		);
	}
	// Reading needs accounts:read only.
	const read = await node.run(account('get', { accountId: byId(id) }), [{}], { store: readOnly() });
	expect(read.error).toBeUndefined();
	expect(node.sim.state.accounts).toHaveLength(1);
	expect(stored(id)).toMatchObject({ status: 'ACTIVE', name: '' });
});

describe('an account’s life, as the node sees it', () => {
	/** A user, their group and account, and a KYC check, all through the node. */
	async function onboardedUntilTheCheck(n: number) {
		const { userId, groupId } = await userWithGroup(n);
		const created = await runs.account({ userId }, groupId);
		const checkId = await runs.kyc(userId, n);
		const accountId = String(created.id);
		return { userId, groupId, accountId, checkId };
	}
	const statusOf = async (accountId: string) =>
		(await runs.get(account('get', { accountId: byId(accountId) }))).status;

	test('PENDING_APPROVAL until the user’s KYC check passes, then ACTIVE', async () => {
		const { userId, accountId, checkId } = await onboardedUntilTheCheck(10);
		expect(await statusOf(accountId)).toBe('PENDING_APPROVAL');
		node.sim.setStatus({ checkId, status: 'PASSED' });
		expect(await statusOf(accountId)).toBe('ACTIVE');
		expect(node.sim.state.users.find((entry) => entry.id === userId)?.status).toBe('ACTIVE');
	});

	test('a failed check keeps it pending; Upvest deciding the check later activates it', async () => {
		node.sim.setConfig({ checkDelayMs: 50, checkOutcome: 'FAILED' });
		const first = await onboardedUntilTheCheck(11);
		await waitFor('the check to fail', () => node.sim.state.userChecks[0].status === 'FAILED');
		expect(await statusOf(first.accountId)).toBe('PENDING_APPROVAL');

		node.sim.setConfig({ checkOutcome: 'PASSED' });
		// A newer check replaces the failed one.
		await runs.ok(createCheck('KYC', { checkConfirmedAt: '2026-12-01T09:00:00Z' }), [
			{ ...customer(11), userId: first.userId },
		]);
		await waitFor('the account to activate', () => node.sim.state.accounts[0].status === 'ACTIVE');
		expect(await statusOf(first.accountId)).toBe('ACTIVE');
	});
});
