import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { upvestApiRequest } from '../transport';

/** Entries per page of a list; a search filters each page. */
const PAGE_SIZE = 100;
const READ_ACCOUNTS = ['accounts:read', 'accounts:admin'];

const createdOn = (entry: IDataObject) =>
	typeof entry.created_at === 'string' ? `created ${entry.created_at.slice(0, 10)}` : '';

/**
 * What an entry shows: its kind, status and creation date first, then the start of the ID, so it
 * fits the field (the search still matches the whole ID). No names: the editor stores the shown
 * text in the workflow, and a person's name must not end up there (docs/personal-data.md).
 */
function label(...details: unknown[]): (entry: IDataObject) => string {
	return (entry) =>
		[...details, `${String(entry.id).slice(0, 8)}…`]
			.map((detail) => (typeof detail === 'function' ? detail(entry) : detail))
			.filter((detail) => typeof detail === 'string' && detail !== '')
			.join(' · ');
}

const field = (name: string) => (entry: IDataObject) =>
	typeof entry[name] === 'string' ? entry[name] : '';

/**
 * The "From list" mode of an ID field: newest first, one page at a time. Upvest's lists have no
 * text search, so the filter matches the ID and the shown details of the entries of each page.
 */
async function searchList(
	context: ILoadOptionsFunctions,
	path: string,
	scopes: string[],
	describe: (entry: IDataObject) => string,
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken ?? 0) || 0;
	const page = await upvestApiRequest.call(
		context,
		{ method: 'GET', path, query: { sort: 'created_at', order: 'DESC', offset, limit: PAGE_SIZE } },
		{ scopes },
	);
	const data = Array.isArray(page.data) ? (page.data as IDataObject[]) : [];
	const needle = (filter ?? '').trim().toLowerCase();
	const results = data
		.filter((entry) => typeof entry.id === 'string')
		.map((entry) => ({ name: describe(entry), value: String(entry.id) }))
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

export async function searchAccountGroups(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const describe = label(field('type'), field('status'), createdOn);
	return await searchList(
		this,
		'/account_groups',
		READ_ACCOUNTS,
		describe,
		filter,
		paginationToken,
	);
}

export async function searchAccounts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const describe = label(field('type'), field('status'), createdOn);
	return await searchList(this, '/accounts', READ_ACCOUNTS, describe, filter, paginationToken);
}

export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const describe = label('User', field('status'), createdOn);
	return await searchList(
		this,
		'/users',
		['users:read', 'users:admin'],
		describe,
		filter,
		paginationToken,
	);
}

export async function searchBusinesses(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const describe = label(field('business_type'), field('status'), createdOn);
	return await searchList(
		this,
		'/businesses',
		['businesses:read', 'businesses:admin'],
		describe,
		filter,
		paginationToken,
	);
}
