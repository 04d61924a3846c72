/**
 * Safe re-runs by default: without an Idempotency Key option, each create carries a key derived
 * from the API client, the endpoint and the exact body, so re-running the same input replays
 * Upvest's first answers instead of creating again. "New Key on Every Run" opts out.
 */
import { derivedIdempotencyKey } from '../../nodes/Upvest/shared/idempotency';
import { BUSINESSES, customers, groupsByUser, role, userId } from '../support/node-builders';
import { useNodeSuite } from '../support/node-suite';

const node = useNodeSuite(24);

test('a run that failed half-way, re-run as it was: every item once, nothing created twice', async () => {
	const store = node.newStore();
	// The first run: 4 of the 12 creations happen but their answers are lost, and with one
	// attempt per item the run stops with an error.
	node.sim.setFaults(
		[{ path: '/account_groups', kind: 'drop-after-create', rate: 0.35, count: 4 }],
		7,
	);
	const failed = await node.run(groupsByUser({ maxAttempts: 1, concurrency: 1 }), customers(12), {
		store,
	});
	expect(failed.error?.message).toMatch(/^Could not reach Upvest/);
	const createdInFirstRun = node.sim.state.accountGroups.length;
	expect(createdInFirstRun).toBeGreaterThan(0);
	expect(createdInFirstRun).toBeLessThan(12);

	node.sim.setFaults([]);
	const seqBefore = node.sim.requests.length;
	const rerun = await node.run(groupsByUser(), customers(12), { store });
	expect(rerun.error).toBeUndefined();
	expect(rerun.items).toHaveLength(12);
	// Exactly one account group per customer, and the re-run replayed what already existed.
	const owners = node.sim.state.accountGroups.map((group) => group.user_id);
	expect(owners.sort()).toEqual(
		customers(12)
			.map((customer) => customer.userId)
			.sort(),
	);
	const rerunRecords = node.apiRecords().filter((record) => record.seq > seqBefore);
	expect(rerunRecords.filter((record) => record.replayed)).toHaveLength(createdInFirstRun);
	rerun.items.forEach((item, index) => expect(item.json.user_id).toBe(userId(index)));
	node.expectNoLeak(rerun);
}, 60_000);

test('the derived key is the same for the same request and differs with body, endpoint and client', async () => {
	const first = await node.run(groupsByUser(), customers(2));
	const keys = () => node.apiRecords().map((record) => record.idempotencyKey);
	const [a, b] = keys();
	expect(a).not.toBe(b);
	await node.run(groupsByUser(), customers(1));
	expect(keys()[2]).toBe(a);
	expect(first.items.map((item) => item.json.id)).toHaveLength(2);

	// Same user, other type: another body, another key.
	await node.run({ ...groupsByUser(), accountGroupType: 'ISA' }, customers(1));
	expect(keys()[3]).not.toBe(a);
	// The same body bytes to another endpoint never share a key with an account group.
	await node.run(
		role('create', {
			entityType: 'business',
			userId: userId(0),
			entityId: BUSINESSES[0],
			roleType: 'TRADER',
		}),
		[{}],
	);
	expect(new Set(keys()).size).toBe(4);
	// And another API client gets another key for the same request.
	const request = {
		method: 'POST' as const,
		path: '/account_groups',
		body: { user_id: userId(0) },
	};
	expect(derivedIdempotencyKey(node.suite.client.clientId, request)).not.toBe(
		derivedIdempotencyKey('5ec16164-6173-461d-b90d-116d68f55b40', request),
	);
	for (const key of keys()) {
		expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	}
});

test('two identical items in one run create one resource; both items show it', async () => {
	const result = await node.run(groupsByUser({ concurrency: 1 }), [
		{ userId: userId(1) },
		{ userId: userId(1) },
	]);
	expect(result.error).toBeUndefined();
	expect(node.sim.state.accountGroups).toHaveLength(1);
	expect(result.items[1].json.id).toBe(result.items[0].json.id);
	expect(node.apiRecords().map((record) => record.replayed)).toEqual([false, true]);
});

test('"New Key on Every Run": re-running the same input creates new resources', async () => {
	const options = { newIdempotencyKeyEachRun: true };
	const first = await node.run(groupsByUser(options), customers(3));
	const second = await node.run(groupsByUser(options), customers(3));
	expect(node.sim.state.accountGroups).toHaveLength(6);
	expect(second.items.map((item) => item.json.id)).not.toEqual(
		first.items.map((item) => item.json.id),
	);
	for (const record of node.apiRecords()) {
		expect(record.idempotencyKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
	}
});

test('an Idempotency Key from the input wins over both defaults, as before', async () => {
	const options = {
		idempotencyKey: '={{ $json.userId + "-signup" }}',
		newIdempotencyKeyEachRun: true,
	};
	const first = await node.run(groupsByUser(options), customers(2));
	const second = await node.run(groupsByUser(options), customers(2));
	expect(node.sim.state.accountGroups).toHaveLength(2);
	expect(second.items.map((item) => item.json.id)).toEqual(first.items.map((item) => item.json.id));
});
