/**
 * Get Many's paging at the wire: which pages are asked for and what comes out, at the edges
 * where paging loops usually go wrong (off-by-one offsets, a page more or less than needed,
 * items repeated or skipped).
 */
import type { INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { accountGroup } from '../support/node-builders';
import { useNodeSuite } from '../support/node-suite';

const node = useNodeSuite(32);
// Each test chooses its page size; the default is Upvest's documented maximum.
beforeEach(() => node.sim.setConfig({ maxPageSize: 1000 }));

const listGroups = (extra: INodeParameters = {}) =>
	accountGroup('getAll', { returnAll: true, ...extra });

/** The list requests the run made, as `offset/limit` pairs. */
const pagesAsked = () =>
	node.apiRecords().map((record) => {
		const query = new URLSearchParams(record.query ?? '');
		return `${query.get('offset')}/${query.get('limit')}`;
	});

function seed(count: number): string[] {
	return count === 0 ? [] : node.sim.seed({ accountGroups: { count } }).accountGroups;
}

async function returnAll(extra: INodeParameters = {}) {
	const result = await node.run(listGroups(extra), [{}]);
	expect(result.error).toBeUndefined();
	return result.items.map((item) => String(item.json.id));
}

test('zero results: one request, no items, no error', async () => {
	expect(await returnAll()).toEqual([]);
	expect(pagesAsked()).toEqual(['0/1000']);
});

test('exactly one full page: no extra request for an empty page', async () => {
	const ids = seed(1000);
	expect(await returnAll()).toEqual(ids);
	expect(pagesAsked()).toEqual(['0/1000']);
});

test('a total that is not a multiple of the page size: the last page is short and ends it', async () => {
	const ids = seed(2345);
	expect(await returnAll()).toEqual(ids);
	expect(pagesAsked()).toEqual(['0/1000', '1000/1000', '2000/1000']);
});

test('pages shorter than asked before the end: the offset advances by what was received', async () => {
	node.sim.setConfig({ maxPageSize: 300 });
	const ids = seed(1000);
	expect(await returnAll()).toEqual(ids);
	expect(pagesAsked()).toEqual(['0/1000', '300/1000', '600/1000', '900/1000']);
});

test('Limit smaller than a page: one request for exactly that many', async () => {
	const ids = seed(40);
	const result = await node.run(listGroups({ returnAll: false, limit: 7 }), [{}]);
	expect(result.items.map((item) => item.json.id)).toEqual(ids.slice(0, 7));
	expect(pagesAsked()).toEqual(['0/7']);
});

test('Limit across short pages: asks only for what is still missing', async () => {
	node.sim.setConfig({ maxPageSize: 4 });
	const ids = seed(20);
	const result = await node.run(listGroups({ returnAll: false, limit: 10 }), [{}]);
	expect(result.items.map((item) => item.json.id)).toEqual(ids.slice(0, 10));
	expect(pagesAsked()).toEqual(['0/10', '4/6', '8/2']);
});

test('Limit above the total stops at the total', async () => {
	const ids = seed(12);
	const result = await node.run(listGroups({ returnAll: false, limit: 50 }), [{}]);
	expect(result.items.map((item) => item.json.id)).toEqual(ids);
	expect(pagesAsked()).toEqual(['0/50']);
});

test('items added while paging (newest first) are not output twice', async () => {
	node.sim.setConfig({ maxPageSize: 100 });
	const before = seed(300);
	// Slow pages, so new groups arrive between the first page and the second.
	node.sim.setFaults([{ path: '/account_groups', method: 'GET', kind: 'latency', latencyMs: 400 }]);
	const running = node.run(listGroups({ options: { order: 'DESC' } }), [{}]);
	while (!node.apiRecords().some((record) => record.status === 200)) await sleep(20);
	const added = seed(5);
	const result = await running;
	const ids = result.items.map((item) => String(item.json.id));
	expect(new Set(ids).size).toBe(ids.length);
	// Every group that existed when the run started is there, newest first.
	expect(ids.filter((id) => before.includes(id))).toEqual([...before].reverse());
	// The new groups pushed 5 already-seen groups onto the second page: those were skipped.
	expect(ids.length).toBeGreaterThanOrEqual(before.length);
	expect(ids.length).toBeLessThanOrEqual(before.length + added.length);
	expect(pagesAsked()[0]).toBe('0/1000');
});

test('a failing list page is retried and the list is still complete', async () => {
	node.sim.setConfig({ maxPageSize: 50 });
	const ids = seed(120);
	node.sim.setFaults([
		{ path: '/account_groups', method: 'GET', kind: 'status', status: 503, count: 2 },
		{
			path: '/account_groups',
			method: 'GET',
			kind: 'status',
			status: 429,
			retryAfter: 0,
			count: 1,
		},
	]);
	expect(await returnAll()).toEqual(ids);
	const statuses = node.apiRecords().map((record) => record.status);
	expect(statuses.filter((status) => status !== 200)).toEqual([503, 503, 429]);
	expect(statuses.filter((status) => status === 200)).toHaveLength(3);
	// Faults answer before verification; every page that was processed was signed correctly.
	for (const record of node.apiRecords().filter((r) => r.status === 200)) {
		expect(record.signature.valid).toBe(true);
	}
});

test('a list page that never recovers fails the item with Upvest’s status and the attempts', async () => {
	seed(3);
	node.sim.setFaults([{ path: '/account_groups', method: 'GET', kind: 'status', status: 500 }]);
	const result = await node.run(listGroups({ options: { maxAttempts: 2 } }), [{}]);
	expect(result.error?.message).toBe(
		'Upvest answered 500 Internal Server Error after 2 attempts [item 0]',
	);
});
