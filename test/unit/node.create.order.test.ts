/**
 * Output order under concurrency: with several requests in flight and uneven latency, the output
 * still follows the input order (though Upvest answered in another); with Concurrency 1 the
 * requests themselves go out one by one in input order.
 */
import { customers, groupsByUser } from '../support/node-builders';
import { useNodeSuite } from '../support/node-suite';
import { expectAllSignaturesValid, expectSuccess, storedResource } from '../support/run-checks';

const node = useNodeSuite(8);

const userIds = (items: Array<{ userId: string }>) => items.map((item) => item.userId);

test('with concurrency 8 and uneven latency the output follows the input order', async () => {
	const items = customers(24);
	node.sim.setFaults(
		[
			{ path: '/account_groups', kind: 'latency', latencyMs: 150, rate: 0.3 },
			{ path: '/account_groups', kind: 'latency', latencyMs: 40, rate: 0.5 },
		],
		20240611,
	);
	const result = await node.run(groupsByUser({ concurrency: 8 }), items);
	expectSuccess(node, result, items.length);
	expect(result.items.map((item) => item.json.user_id)).toEqual(userIds(items));
	result.items.forEach((item) =>
		expect(item.json).toEqual(storedResource(node, item, 'accountGroups')),
	);
	// The latency really reordered the work: the simulator answered in another order.
	const answerOrder = node
		.apiRecords()
		.filter((record) => record.answeredSeq !== undefined)
		.sort((a, b) => (a.answeredSeq ?? 0) - (b.answeredSeq ?? 0))
		.map((record) => JSON.parse(record.body).user_id);
	expect(answerOrder).toHaveLength(items.length);
	expect(answerOrder).not.toEqual(userIds(items));
	expect(node.apiRecords().some((record) => record.fault?.includes('latency:150'))).toBe(true);
	expectAllSignaturesValid(node.sim.requests);
	expect(node.tokenRecords()).toHaveLength(1);
});

test('with concurrency 1 the requests go out one by one in input order', async () => {
	const items = customers(6, 100);
	node.sim.setFaults([{ path: '/account_groups', kind: 'latency', latencyMs: 30, rate: 0.5 }], 3);
	const result = await node.run(groupsByUser({ concurrency: 1 }), items);
	expectSuccess(node, result, items.length);
	expect(node.apiRecords().map((record) => JSON.parse(record.body).user_id)).toEqual(
		userIds(items),
	);
	expect(node.sim.state.accountGroups.map((group) => group.user_id)).toEqual(userIds(items));
});
