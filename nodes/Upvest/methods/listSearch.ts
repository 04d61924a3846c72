import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { upvestApiRequest } from '../transport';

/** Account groups per page of the list; a search filters each page. */
const PAGE_SIZE = 100;

/**
 * What the list shows: type, status and creation date first, then the start of the ID, so an
 * entry fits the field's width (the search still matches the whole ID).
 */
function describe(group: IDataObject): string {
	const created = typeof group.created_at === 'string' ? group.created_at.slice(0, 10) : '';
	const details = [group.type, group.status, created && `created ${created}`].filter(Boolean);
	return [...details, `${String(group.id).slice(0, 8)}…`].join(' · ');
}

/**
 * The "From list" mode of Account Group ID: newest first, one page at a time. Upvest's list has no
 * text search, so the filter matches the ID, type, status and date of the entries of each page.
 */
export async function searchAccountGroups(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken ?? 0) || 0;
	const page = await upvestApiRequest.call(
		this,
		{
			method: 'GET',
			path: '/account_groups',
			query: { sort: 'created_at', order: 'DESC', offset, limit: PAGE_SIZE },
		},
		{ scopes: ['accounts:read', 'accounts:admin'] },
	);
	const data = Array.isArray(page.data) ? (page.data as IDataObject[]) : [];
	const needle = (filter ?? '').trim().toLowerCase();
	const results = data
		.filter((group) => typeof group.id === 'string')
		.map((group) => ({ name: describe(group), value: String(group.id) }))
		.filter(
			(entry) =>
				needle === '' ||
				entry.value.toLowerCase().includes(needle) ||
				entry.name.toLowerCase().includes(needle),
		);
	const total = Number((page.meta as IDataObject | undefined)?.total_count);
	const nextOffset = offset + data.length;
	const more = data.length > 0 && (Number.isFinite(total) ? nextOffset < total : true);
	return { results, paginationToken: more ? String(nextOffset) : undefined };
}
