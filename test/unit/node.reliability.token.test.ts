/**
 * The access token under faults: a failing token request is retried (bounded) and still yields one
 * token; a token endpoint that stays down is a clear credential error without secrets; and the 401
 * that makes n8n fetch a new token is not counted against Max Attempts.
 */
import { SLOW_TEST_MS, customers, groupsByUser } from '../support/node-builders';
import { useNodeSuite } from '../support/node-suite';
import { expectExactlyOncePerItem, nonceOf } from '../support/retry-checks';

const node = useNodeSuite(8);

const tokenUnavailable = (extra: object = {}) => [
	{ path: '/auth/token', kind: 'status', status: 503, ...extra },
];

/** A store holding a token from a first successful run, which Upvest then no longer accepts. */
async function storeWithExpiredToken() {
	const store = node.newStore();
	expect((await node.run(groupsByUser(), customers(1), { store })).error).toBeUndefined();
	node.sim.expireTokens();
	return store;
}

test(
	'the token request is retried too (503 twice on /auth/token), still one token',
	async () => {
		node.sim.setFaults(tokenUnavailable({ count: 2 }));
		const items = customers(5);
		const result = await node.run(groupsByUser(), items);
		expectExactlyOncePerItem(node, result, items);
		const tokenRecords = node.tokenRecords();
		expect(tokenRecords.map((record) => record.status)).toEqual([503, 503, 200]);
		expect(new Set(tokenRecords.map(nonceOf)).size).toBe(3);
		node.expectNoLeak(result);
	},
	SLOW_TEST_MS,
);

test(
	'the token expires and the token endpoint is down: a clear credential error, no secret in it',
	async () => {
		const store = await storeWithExpiredToken();
		node.sim.setFaults(tokenUnavailable());
		const seqBefore = node.sim.requests.length;
		const result = await node.run(groupsByUser({ maxAttempts: 2 }), customers(3, 1), { store });
		expect(result.items).toEqual([]);
		expect(result.error?.message).toMatch(
			/^Upvest refused the access token request \(HTTP 503, Service Unavailable: Fault injected by the Upvest simulator\)\. .*\[item 0\]$/,
		);
		// The token request was retried (bounded), nothing was created.
		const tokenRequests = node.tokenRecords(seqBefore).length;
		expect(tokenRequests).toBeGreaterThan(1);
		expect(tokenRequests).toBeLessThanOrEqual(4);
		expect(node.apiRecords(seqBefore).every((record) => record.status === 401)).toBe(true);
		expect(node.sim.state.accountGroups).toHaveLength(1);
		node.expectNoLeak(result);
	},
	SLOW_TEST_MS,
);

// The 401 that makes n8n fetch a new token is not one of Max Attempts: with Max Attempts 2 an
// item still gets two answers from Upvest besides the refused token.
test('after a 503 and a token refresh, Max Attempts 2 still allows the second real attempt', async () => {
	const store = await storeWithExpiredToken();
	const seqBefore = node.sim.requests.length;
	node.sim.setFaults([{ path: '/account_groups', kind: 'status', status: 503, count: 1 }], 5);
	const result = await node.run(groupsByUser({ maxAttempts: 2 }), customers(1, 1), { store });
	expect(node.sim.requests.slice(seqBefore).map((record) => [record.path, record.status])).toEqual([
		['/account_groups', 503],
		['/account_groups', 401],
		['/auth/token', 200],
		['/account_groups', 200],
	]);
	expect(result.error).toBeUndefined();
	expect(node.sim.state.accountGroups).toHaveLength(2);
	node.expectNoLeak(result);
});
