import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	NodeApiError,
} from 'n8n-workflow';

import { listEntries } from '../shared/operations';
import { isUuid } from '../shared/validation';
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

/** Pages a search reads before it shows what it found (or nothing) and offers the next token. */
const MAX_SEARCH_PAGES = 10;

type Describe = (entry: IDataObject) => string;
/** An entry of the list: what it shows, and the ID it stands for. */
type ListEntry = INodeListSearchItems & { value: string };

interface ListPage {
	entries: ListEntry[];
	nextOffset?: number;
}

async function readPage(
	context: ILoadOptionsFunctions,
	path: string,
	scopes: string[],
	describe: Describe,
	offset: number,
): Promise<ListPage> {
	const page = await upvestApiRequest.call(
		context,
		{ method: 'GET', path, query: { sort: 'created_at', order: 'DESC', offset, limit: PAGE_SIZE } },
		{ scopes },
	);
	const data = listEntries(page);
	const entries = data
		.filter((entry) => typeof entry.id === 'string')
		.map((entry) => ({ name: describe(entry), value: String(entry.id) }));
	const total = Number((page.meta as IDataObject | undefined)?.total_count);
	const next = offset + data.length;
	const more = data.length > 0 && (Number.isFinite(total) ? next < total : true);
	return { entries, nextOffset: more ? next : undefined };
}

/** A whole ID typed or pasted into the search: that entry, however old, or nothing. */
async function findById(
	context: ILoadOptionsFunctions,
	path: string,
	scopes: string[],
	describe: Describe,
	id: string,
): Promise<INodeListSearchResult> {
	// Already a NodeApiError from the transport; only "not found" is an answer here.
	const answer = await upvestApiRequest
		.call(context, { method: 'GET', path: `${path}/${id}` }, { scopes })
		.then(
			(entry) => ({ entry }),
			(error: NodeApiError) => ({ error }),
		);
	if ('entry' in answer) {
		return { results: [{ name: describe(answer.entry), value: String(answer.entry.id ?? id) }] };
	}
	if (answer.error.httpCode === '404') return { results: [] };
	throw answer.error;
}

/**
 * The "From list" mode of an ID field: newest first, one page at a time. Upvest's lists have no
 * text search, so a whole ID is looked up directly, and other text filters the ID and the shown
 * details page by page, reading on (up to MAX_SEARCH_PAGES pages) until something matches.
 */
async function searchList(
	context: ILoadOptionsFunctions,
	path: string,
	scopes: string[],
	describe: Describe,
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<INodeListSearchResult> {
	const needle = (filter ?? '').trim().toLowerCase();
	if (isUuid(needle)) return await findById(context, path, scopes, describe, needle);
	let offset: number | undefined = Number(paginationToken ?? 0) || 0;
	const results: ListEntry[] = [];
	for (let pages = 0; offset !== undefined && pages < MAX_SEARCH_PAGES; pages++) {
		const page = await readPage(context, path, scopes, describe, offset);
		results.push(
			...page.entries.filter(
				(entry) =>
					needle === '' ||
					entry.value.toLowerCase().includes(needle) ||
					entry.name.toLowerCase().includes(needle),
			),
		);
		offset = page.nextOffset;
		if (results.length > 0 || needle === '') break;
	}
	return { results, paginationToken: offset === undefined ? undefined : String(offset) };
}

/** The "From list" search of one resource, as n8n calls it: `this` is its load-options context. */
function searchFor(path: string, scopes: string[], describe: Describe) {
	return async function (
		this: ILoadOptionsFunctions,
		filter?: string,
		paginationToken?: string,
	): Promise<INodeListSearchResult> {
		return await searchList(this, path, scopes, describe, filter, paginationToken);
	};
}

export const searchAccountGroups = searchFor(
	'/account_groups',
	READ_ACCOUNTS,
	label(field('type'), field('status'), createdOn),
);

export const searchAccounts = searchFor(
	'/accounts',
	READ_ACCOUNTS,
	label(field('type'), field('status'), createdOn),
);

export const searchUsers = searchFor(
	'/users',
	['users:read', 'users:admin'],
	label('User', field('status'), createdOn),
);

export const searchBusinesses = searchFor(
	'/businesses',
	['businesses:read', 'businesses:admin'],
	label(field('business_type'), field('status'), createdOn),
);
