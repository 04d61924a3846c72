import { NodeApiError, type IDataObject, type JsonObject } from 'n8n-workflow';

import type { UpvestFunctions } from './context';
import { upvestApiRequest, type UpvestRequest, type UpvestRequestOptions } from './request';

/** The largest page Upvest's list endpoints document; some answer with fewer items per page. */
export const MAX_PAGE_SIZE = 1000;

export interface PagingOptions {
	/** Every item up to `meta.total_count`, or at most `limit`. */
	returnAll: boolean;
	limit?: number;
	/** Items asked per page (at most MAX_PAGE_SIZE). */
	pageSize?: number;
}

function listError(context: UpvestFunctions, options: UpvestRequestOptions, problem: string) {
	const item = options.itemIndex === undefined ? '' : ` [item ${options.itemIndex}]`;
	return new NodeApiError(context.getNode(), { problem } as JsonObject, {
		message: `Upvest answered a list page without ${problem}${item}`,
		description: 'Upvest lists answer {"meta": {...}, "data": [...]}; this answer did not.',
		itemIndex: options.itemIndex,
	});
}

/**
 * Pages through an Upvest list (`offset`/`limit`, envelope `{meta, data}`) and returns its items.
 * The offset advances by the items received, not by the page size asked, because Upvest's pages
 * may hold fewer items than asked before the end. It stops at `meta.total_count`, at an empty page
 * or once `limit` items are collected. An item seen on an earlier page (the list changed while
 * paging) is not returned twice.
 */
export async function upvestApiRequestAllItems(
	this: UpvestFunctions,
	request: UpvestRequest,
	paging: PagingOptions,
	options: UpvestRequestOptions = {},
): Promise<IDataObject[]> {
	const wanted = paging.returnAll ? Infinity : Math.max(0, paging.limit ?? 50);
	const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, paging.pageSize ?? MAX_PAGE_SIZE));
	const items: IDataObject[] = [];
	const seen = new Set<unknown>();
	let offset = 0;
	while (items.length < wanted) {
		const limit = Math.min(pageSize, wanted - items.length);
		const page = await upvestApiRequest.call(
			this,
			{ ...request, query: { ...request.query, offset, limit } },
			options,
		);
		if (!Array.isArray(page.data)) throw listError(this, options, 'a data list');
		const data = page.data as IDataObject[];
		const meta = (page.meta ?? {}) as IDataObject;
		const total = Number(meta.total_count);
		let added = 0;
		for (const entry of data) {
			const id = entry?.id;
			if (id !== undefined && seen.has(id)) continue;
			seen.add(id);
			items.push(entry);
			added++;
			if (items.length >= wanted) break;
		}
		offset += data.length;
		if (data.length === 0) break;
		if (Number.isFinite(total) ? offset >= total : added === 0) break;
	}
	return items;
}
