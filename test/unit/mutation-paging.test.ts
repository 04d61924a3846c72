/**
 * Paging through an Upvest list (upvestApiRequestAllItems) against an in-memory list endpoint: the
 * node's request function sends each page through n8n's request helper, played here by a fake that
 * answers `{meta, data}` pages for the offset and limit it is asked.
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INode } from 'n8n-workflow';

import { upvestApiRequestAllItems, type PagingOptions } from '../../nodes/Upvest/transport/paging';
import type { UpvestRequest, UpvestRequestOptions } from '../../nodes/Upvest/transport/request';
import { credentialData, type Simulator } from '../support/simulator';

const credentials = {
	id: 'c1',
	name: 'Upvest',
	type: 'upvestApi',
	data: { ...credentialData({ url: 'http://127.0.0.1:4010' } as Simulator), accessToken: 'token' },
};

interface Page {
	offset: number;
	limit: number;
	query: Record<string, string>;
}

/**
 * A list endpoint: `answer(offset, limit)` gives the page body; by default the slice of `items`
 * with `meta.total_count`. Records the offset, limit and query of every page asked.
 */
function listEndpoint(
	items: IDataObject[],
	answer: (offset: number, limit: number) => unknown = (offset, limit) => ({
		meta: { total_count: items.length, offset, limit },
		data: items.slice(offset, offset + limit),
	}),
) {
	const pages: Page[] = [];
	const context = {
		getNode: () => ({ name: 'Upvest', type: 'n8n-nodes-upvest.upvest' }) as INode,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				const query = Object.fromEntries(new URL(options.url).searchParams);
				const page = { offset: Number(query.offset), limit: Number(query.limit), query };
				pages.push(page);
				return { statusCode: 200, headers: {}, body: answer(page.offset, page.limit) };
			},
		},
	} as unknown as IExecuteFunctions;
	const list = async (
		paging: PagingOptions,
		request: Partial<UpvestRequest> = {},
		options: UpvestRequestOptions = {},
	) =>
		await upvestApiRequestAllItems.call(
			context,
			{ method: 'GET', path: '/users', ...request },
			paging,
			{ credentials, ...options },
		);
	return { pages, list, asked: () => pages.map(({ offset, limit }) => [offset, limit]) };
}

const numbered = (count: number, from = 0) =>
	Array.from({ length: count }, (_, index) => ({ id: `id-${from + index}` }));
const ids = (items: IDataObject[]) => items.map((item) => item.id);

describe('every item', () => {
	test('pages of the size asked until meta.total_count, and no page beyond it', async () => {
		const endpoint = listEndpoint(numbered(5));
		const items = await endpoint.list({ returnAll: true, pageSize: 2 });
		expect(ids(items)).toEqual(['id-0', 'id-1', 'id-2', 'id-3', 'id-4']);
		expect(endpoint.asked()).toEqual([
			[0, 2],
			[2, 2],
			[4, 2],
		]);
	});

	test('a total that is an exact multiple of the page size ends without an empty page', async () => {
		const endpoint = listEndpoint(numbered(4));
		expect(await endpoint.list({ returnAll: true, pageSize: 2 })).toHaveLength(4);
		expect(endpoint.asked()).toEqual([
			[0, 2],
			[2, 2],
		]);
	});

	test('the offset advances by the items received when a page holds fewer than asked', async () => {
		const all = numbered(7);
		const endpoint = listEndpoint(all, (offset) => ({
			meta: { total_count: String(all.length) },
			data: all.slice(offset, offset + 3),
		}));
		expect(ids(await endpoint.list({ returnAll: true, pageSize: 5 }))).toEqual(ids(all));
		expect(endpoint.asked()).toEqual([
			[0, 5],
			[3, 5],
			[6, 5],
		]);
	});

	test('pages of 1000 by default, and never more', async () => {
		for (const pageSize of [undefined, 1000, 1001, 50_000]) {
			const endpoint = listEndpoint(numbered(3));
			await endpoint.list({ returnAll: true, pageSize });
			expect(endpoint.asked()).toEqual([[0, 1000]]);
		}
	});

	test('a page size below 1 asks for one item per page', async () => {
		for (const pageSize of [0, -5]) {
			const endpoint = listEndpoint(numbered(2));
			expect(await endpoint.list({ returnAll: true, pageSize })).toHaveLength(2);
			expect(endpoint.asked()).toEqual([
				[0, 1],
				[1, 1],
			]);
		}
	});

	test('an empty page ends the list even when total_count promised more', async () => {
		const endpoint = listEndpoint([], () => ({ meta: { total_count: 10 }, data: [] }));
		expect(await endpoint.list({ returnAll: true, pageSize: 2 })).toEqual([]);
		expect(endpoint.asked()).toEqual([[0, 2]]);
	});

	test('without total_count: until an empty page', async () => {
		const all = numbered(3);
		const endpoint = listEndpoint(all, (offset, limit) => ({
			data: all.slice(offset, offset + limit),
		}));
		expect(ids(await endpoint.list({ returnAll: true, pageSize: 2 }))).toEqual(ids(all));
		expect(endpoint.asked()).toEqual([
			[0, 2],
			[2, 2],
			[3, 2],
		]);
	});

	test('without total_count: a page with nothing new ends the list (no endless paging)', async () => {
		const endpoint = listEndpoint([], () => ({ meta: {}, data: numbered(2) }));
		expect(ids(await endpoint.list({ returnAll: true, pageSize: 2 }))).toEqual(['id-0', 'id-1']);
		expect(endpoint.asked()).toEqual([
			[0, 2],
			[2, 2],
		]);
	});

	test('with total_count: a page of repeats does not end the list early', async () => {
		// The list grew at its start while paging: the second page repeats one item of the first.
		const pages = [numbered(2, 0), numbered(2, 1), numbered(1, 3)];
		const endpoint = listEndpoint([], () => ({ meta: { total_count: 5 }, data: pages.shift() }));
		expect(ids(await endpoint.list({ returnAll: true, pageSize: 2 }))).toEqual([
			'id-0',
			'id-1',
			'id-2',
			'id-3',
		]);
		expect(endpoint.asked()).toEqual([
			[0, 2],
			[2, 2],
			[4, 2],
		]);
	});

	test('an item seen on an earlier page is returned once; items without an id always', async () => {
		const pages = [
			[{ id: 'a' }, { name: 'no id' }],
			[{ id: 'a' }, { name: 'no id' }, { id: 'b' }],
		];
		const endpoint = listEndpoint([], () => ({ meta: { total_count: 5 }, data: pages.shift() }));
		expect(await endpoint.list({ returnAll: true, pageSize: 3 })).toEqual([
			{ id: 'a' },
			{ name: 'no id' },
			{ name: 'no id' },
			{ id: 'b' },
		]);
	});

	test('an empty entry in a page is passed on as it is, not an error', async () => {
		const endpoint = listEndpoint([], () => ({
			meta: { total_count: 2 },
			data: [null, { id: 'a' }],
		}));
		expect(await endpoint.list({ returnAll: true })).toEqual([null, { id: 'a' }]);
	});

	test("the request's own query travels with offset and limit on every page", async () => {
		const endpoint = listEndpoint(numbered(3));
		await endpoint.list({ returnAll: true, pageSize: 2 }, { query: { user_id: 'u-1' } });
		expect(endpoint.pages.map((page) => page.query)).toEqual([
			{ user_id: 'u-1', offset: '0', limit: '2' },
			{ user_id: 'u-1', offset: '2', limit: '2' },
		]);
	});
});

describe('at most a limit', () => {
	test('the last page asks only for what is still missing', async () => {
		const endpoint = listEndpoint(numbered(10));
		expect(ids(await endpoint.list({ returnAll: false, limit: 5, pageSize: 3 }))).toEqual(
			ids(numbered(5)),
		);
		expect(endpoint.asked()).toEqual([
			[0, 3],
			[3, 2],
		]);
	});

	test('50 by default', async () => {
		const endpoint = listEndpoint(numbered(120));
		expect(await endpoint.list({ returnAll: false })).toHaveLength(50);
		expect(endpoint.asked()).toEqual([[0, 50]]);
	});

	test('a page larger than asked is cut at the limit', async () => {
		const endpoint = listEndpoint([], () => ({ meta: { total_count: 9 }, data: numbered(9) }));
		expect(ids(await endpoint.list({ returnAll: false, limit: 4 }))).toEqual(ids(numbered(4)));
		expect(endpoint.asked()).toEqual([[0, 4]]);
	});

	test('a limit of 0 or less asks for nothing', async () => {
		for (const limit of [0, -1]) {
			const endpoint = listEndpoint(numbered(3));
			expect(await endpoint.list({ returnAll: false, limit })).toEqual([]);
			expect(endpoint.pages).toHaveLength(0);
		}
	});
});

describe('an answer that is not a list page', () => {
	test.each([
		['no data', { meta: { total_count: 1 } }],
		['data that is not a list', { data: { id: 'a' } }],
		['no body', ''],
	])('%s is an error naming the item', async (_name, body) => {
		const endpoint = listEndpoint([], () => body);
		const error = await endpoint
			.list({ returnAll: true }, {}, { itemIndex: 2 })
			.catch((caught: Error) => caught);
		expect(error).toMatchObject({
			message: 'Upvest answered a list page without a data list [item 2]',
			description: 'Upvest lists answer {"meta": {...}, "data": [...]}; this answer did not.',
		});
		const withoutItem = await endpoint.list({ returnAll: true }).catch((caught: Error) => caught);
		expect((withoutItem as Error).message).toBe('Upvest answered a list page without a data list');
	});
});
