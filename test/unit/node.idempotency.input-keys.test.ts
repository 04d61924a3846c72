/**
 * Idempotency keys given in Options → Idempotency Key (usually an expression on the input): text
 * keys become stable UUIDs, so re-running the same input replays Upvest's first answers; a UUID
 * key is sent as it is, on every retry too.
 */
import { SLOW_TEST_MS, customers, groupsByUser, userId } from '../support/node-builders';
import { useNodeSuite } from '../support/node-suite';

const node = useNodeSuite(8);

test('re-running with options.idempotencyKey from the input creates nothing new and returns the same ids', async () => {
	const items = customers(10);
	const parameters = groupsByUser({ idempotencyKey: '={{ $json.customerId }}', concurrency: 4 });
	const store = node.newStore();
	const first = await node.run(parameters, items, { store });
	expect(first.error).toBeUndefined();
	expect(node.sim.state.accountGroups).toHaveLength(10);
	const firstKeys = node
		.apiRecords()
		.map((record) => [JSON.parse(record.body).user_id, record.idempotencyKey]);
	const seqBefore = node.sim.requests.length;

	const second = await node.run(parameters, items, { store });
	expect(second.error).toBeUndefined();
	expect(node.sim.state.accountGroups).toHaveLength(10);
	expect(second.items.map((item) => item.json.id)).toEqual(first.items.map((item) => item.json.id));
	expect(second.items.map((item) => item.json)).toEqual(first.items.map((item) => item.json));
	const rerun = node.apiRecords(seqBefore);
	expect(rerun).toHaveLength(10);
	expect(rerun.every((record) => record.replayed && record.status === 200)).toBe(true);

	// The text keys became stable UUIDs: one per customer, the same in both runs, not the text itself.
	const secondKeys = new Map(
		rerun.map((record) => [JSON.parse(record.body).user_id, record.idempotencyKey]),
	);
	for (const [user, key] of firstKeys) {
		expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(secondKeys.get(user)).toBe(key);
	}
	expect(new Set(firstKeys.map(([, key]) => key)).size).toBe(10);
	for (const item of items) expect(firstKeys.map(([, key]) => key)).not.toContain(item.customerId);
	node.expectNoLeak(first);
	node.expectNoLeak(second);
});

test(
	'a UUID idempotency key is sent unchanged (and used for every retry)',
	async () => {
		const items = Array.from({ length: 5 }, (_, index) => ({
			key: crypto.randomUUID(),
			userId: userId(index),
		}));
		node.sim.setFaults([{ path: '/account_groups', kind: 'status', status: 503, count: 3 }]);
		const result = await node.run(groupsByUser({ idempotencyKey: '={{ $json.key }}' }), items);
		expect(result.error).toBeUndefined();
		const sent = new Map<string, Set<string | undefined>>();
		for (const record of node.apiRecords()) {
			const user = JSON.parse(record.body).user_id as string;
			sent.set(user, new Set([...(sent.get(user) ?? []), record.idempotencyKey]));
		}
		for (const item of items) expect(sent.get(item.userId)).toEqual(new Set([item.key]));
		expect(node.apiRecords().length).toBe(items.length + 3);
		node.expectNoLeak(result);
	},
	SLOW_TEST_MS,
);

test('a UUID key in upper case reaches Upvest as the same UUID (case-insensitively equal)', async () => {
	const key = crypto.randomUUID().toUpperCase();
	const result = await node.run(groupsByUser({ idempotencyKey: key }), customers(1));
	expect(result.error).toBeUndefined();
	expect(node.apiRecords()[0].idempotencyKey).toBe(key);
	node.expectNoLeak(result);
});
