/**
 * Upvest down for longer than Max Attempts: the item fails with a NodeApiError that names Upvest's
 * status, the attempts and the item, with Upvest's detail and request ID; with Continue On Fail the
 * failed items become error items, and re-running with key expressions creates nothing twice.
 */
import type { IDataObject } from 'n8n-workflow';

import type { RunResult } from '../support/n8n-harness';
import { SLOW_TEST_MS, customers, groupsByUser } from '../support/node-builders';
import { useNodeSuite } from '../support/node-suite';
import { nonceOf } from '../support/retry-checks';

const node = useNodeSuite(8);

const serviceUnavailable = (extra: object = {}) => [
	{ path: '/account_groups', kind: 'status', status: 503, ...extra },
];

test('the item fails with a NodeApiError naming status and item, with Upvest detail and request ID', async () => {
	node.sim.setFaults(serviceUnavailable());
	const result = await node.run(groupsByUser({ maxAttempts: 2 }), customers(3));
	expect(result.items).toEqual([]);
	const error = result.error as RunResult['error'] & { errorResponse?: IDataObject };
	expect(error).toBeDefined();
	expect(error?.name).toBe('NodeApiError');
	expect(error?.message).toBe('Upvest answered 503 Service Unavailable after 2 attempts [item 0]');
	expect(error?.httpCode).toBe('503');
	const attempts = node.apiRecords();
	// Max Attempts 2, the first item goes alone: two attempts with one key, then the run stops.
	expect(attempts).toHaveLength(2);
	expect(new Set(attempts.map((record) => record.idempotencyKey)).size).toBe(1);
	expect(new Set(attempts.map(nonceOf)).size).toBe(2);
	const last = attempts[attempts.length - 1];
	expect(error?.description).toBe(
		`Fault injected by the Upvest simulator — Upvest request ID: ${last.requestId}`,
	);
	expect(error?.errorResponse).toMatchObject({
		status: 503,
		title: 'Service Unavailable',
		detail: 'Fault injected by the Upvest simulator',
		request_id: last.requestId,
		type: 'https://docs.upvest.co/errors/service_unavailable',
	});
	expect(node.sim.state.accountGroups).toHaveLength(0);
	node.expectNoLeak(result);
});

test('the message names the failing item when it is not the first one', async () => {
	// Seed 2 with rate 0.5 draws [0.73, 0.32, 0.29]: item 0 passes, item 1 gets 503 twice.
	node.sim.setFaults(serviceUnavailable({ rate: 0.5 }), 2);
	const items = customers(3);
	const result = await node.run(groupsByUser({ maxAttempts: 2, concurrency: 1 }), items);
	expect(node.apiRecords().map((record) => [record.body, record.status])).toEqual([
		[`{"user_id":"${items[0].userId}","type":"PERSONAL"}`, 200],
		[`{"user_id":"${items[1].userId}","type":"PERSONAL"}`, 503],
		[`{"user_id":"${items[1].userId}","type":"PERSONAL"}`, 503],
	]);
	expect(result.error?.name).toBe('NodeApiError');
	expect(result.error?.message).toBe(
		'Upvest answered 503 Service Unavailable after 2 attempts [item 1]',
	);
	expect(result.error?.description).toContain(
		`Upvest request ID: ${node.apiRecords()[2].requestId}`,
	);
	node.expectNoLeak(result);
});

test(
	'with Continue On Fail the failed items become error items and the others succeed; a re-run with key expressions creates nothing twice',
	async () => {
		const items = customers(6);
		const parameters = groupsByUser({
			maxAttempts: 2,
			concurrency: 1,
			idempotencyKey: '={{ $json.customerId }}',
		});
		// Concurrency 1: the first four attempts are items 0 and 1, twice each.
		node.sim.setFaults(serviceUnavailable({ count: 4 }));
		const store = node.newStore();
		const first = await node.run(parameters, items, { store, continueOnFail: true });
		expect(first.error).toBeUndefined();
		expect(first.items).toHaveLength(6);
		const requestIds = node.apiRecords().map((record) => record.requestId);
		for (const index of [0, 1]) {
			const item = first.items[index];
			expect(item.pairedItem).toEqual({ item: index });
			expect(Object.keys(item.json).sort()).toEqual(['description', 'error', 'httpCode']);
			expect(item.json.error).toBe(
				`Upvest answered 503 Service Unavailable after 2 attempts [item ${index}]`,
			);
			expect(item.json.httpCode).toBe('503');
			expect(item.json.description).toBe(
				`Fault injected by the Upvest simulator — Upvest request ID: ${requestIds[index * 2 + 1]}`,
			);
		}
		for (const index of [2, 3, 4, 5]) {
			expect(first.items[index].pairedItem).toEqual({ item: index });
			expect(first.items[index].json.user_id).toBe(items[index].userId);
		}
		expect(node.sim.state.accountGroups).toHaveLength(4);
		node.expectNoLeak(first);

		// Upvest is back: the same workflow again creates the two missing ones and replays the rest.
		node.sim.setFaults([]);
		const seqBefore = node.sim.requests.length;
		const second = await node.run(parameters, items, { store, continueOnFail: true });
		expect(second.error).toBeUndefined();
		second.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.user_id).toBe(items[index].userId);
		});
		for (const index of [2, 3, 4, 5])
			expect(second.items[index].json.id).toBe(first.items[index].json.id);
		const rerun = node.apiRecords(seqBefore);
		expect(rerun.map((record) => record.replayed)).toEqual([false, false, true, true, true, true]);
		expect(node.sim.state.accountGroups).toHaveLength(6);
		expect(new Set(node.sim.state.accountGroups.map((group) => group.user_id)).size).toBe(6);
		node.expectNoLeak(second);
	},
	SLOW_TEST_MS,
);
