/**
 * How many access tokens a run needs: one token request for a whole batch at any concurrency,
 * none when the credential still holds a valid token, and after the token expired exactly one
 * refresh, with no item failing and every refused request resent with the new token.
 */
import { customers, groupsByUser } from '../support/node-builders';
import { useNodeSuite } from '../support/node-suite';
import { expectAllSignaturesValid, expectSuccess } from '../support/run-checks';

const node = useNodeSuite(16);

const tenItems = customers(10);

test.each([
	['default concurrency', {}],
	['concurrency 1', { concurrency: 1 }],
	['concurrency 8', { concurrency: 8 }],
])('one token request for 10 items (%s)', async (_name, options) => {
	const store = node.newStore();
	const result = await node.run(groupsByUser(options), tenItems, { store });
	expectSuccess(node, result, 10);
	expect(node.tokenRecords()).toHaveLength(1);
	expect(node.sim.state.tokensIssued).toBe(1);
	expect(store.calls.preAuthentication).toBe(1);
	expect(store.calls.tokenRefreshes).toBe(0);
	// The token request comes first, and every API request carries the one token.
	expect(node.sim.requests[0].tokenRequest).toBe(true);
	expect(node.apiRecords()).toHaveLength(10);
	expect(new Set(node.apiRecords().map((record) => record.headers.authorization))).toEqual(
		new Set([`Bearer ${String(store.data.accessToken)}`]),
	);
	expectAllSignaturesValid(node.sim.requests);
	expect(node.sim.state.accountGroups.map((group) => group.user_id).sort()).toEqual(
		tenItems.map((item) => item.userId).sort(),
	);
});

test('no token request when the credential already holds a valid token from a previous run', async () => {
	const store = node.newStore();
	const first = await node.run(groupsByUser(), tenItems, { store });
	expectSuccess(node, first, 10);
	expect(node.tokenRecords()).toHaveLength(1);
	const token = store.data.accessToken;
	const seqBefore = node.sim.requests.length;

	const second = await node.run(groupsByUser({ concurrency: 8 }), tenItems, { store });
	expectSuccess(node, second, 10);
	const secondRecords = node.sim.requests.slice(seqBefore);
	expect(node.tokenRecords(seqBefore)).toHaveLength(0);
	expect(secondRecords).toHaveLength(10);
	expect(store.calls.preAuthentication).toBe(1);
	expect(store.data.accessToken).toBe(token);
	expectAllSignaturesValid(secondRecords);
	// The same input again: Upvest replays the first answers, nothing is created twice.
	expect(secondRecords.every((record) => record.replayed)).toBe(true);
	expect(node.sim.state.accountGroups).toHaveLength(10);
	expect(second.items.map((item) => item.json.id)).toEqual(first.items.map((item) => item.json.id));
});

test.each([
	['default concurrency', {}],
	['concurrency 8', { concurrency: 8 }],
])(
	'after the token expires a run refreshes exactly once and no item fails (%s)',
	async (_name, options) => {
		const store = node.newStore();
		expectSuccess(node, await node.run(groupsByUser(options), tenItems, { store }), 10);
		const firstToken = store.data.accessToken;
		expect(node.sim.expireTokens()).toBe(1);
		const seqBefore = node.sim.requests.length;
		const tokenFetchesBefore = store.calls.preAuthentication;

		const second = await node.run(groupsByUser(options), customers(10, 100), { store });
		expectSuccess(node, second, 10);
		expect(node.tokenRecords(seqBefore)).toHaveLength(1);
		expect(store.calls.preAuthentication - tokenFetchesBefore).toBe(1);
		expect(store.data.accessToken).not.toBe(firstToken);
		// Whatever was refused with the old token was refused for the token only, then resent.
		const secondApiRecords = node.apiRecords(seqBefore);
		const refused = secondApiRecords.filter((record) => record.status === 401);
		for (const record of refused)
			expect(record.headers.authorization).toBe(`Bearer ${String(firstToken)}`);
		const accepted = secondApiRecords.filter((record) => record.status !== 401);
		expect(accepted).toHaveLength(10);
		expectAllSignaturesValid(accepted);
		for (const record of accepted)
			expect(record.headers.authorization).toBe(`Bearer ${String(store.data.accessToken)}`);
		// Each item of the second run created exactly one new group.
		expect(node.sim.state.accountGroups).toHaveLength(20);
		expect(new Set(second.items.map((item) => item.json.id)).size).toBe(10);
	},
);
