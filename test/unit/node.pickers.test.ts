/**
 * The "From list" mode of the ID fields (users, businesses, account groups, accounts) through
 * n8n-core's real LoadOptionsContext and request helper against the simulator: newest first, a
 * page at a time, the search, and never a name in what the editor shows and stores in the
 * workflow (a sole trader's company name is a person's name).
 */
import type { INodeListSearchResult } from 'n8n-workflow';

import type { ListSearchMethod } from '../support/n8n-harness';
import { USERS } from '../support/node-builders';
import { company, customer, personalValues } from '../support/onboarding-builders';
import { useOnboardingSuite } from '../support/onboarding-runs';

const { node, runs } = useOnboardingSuite(24);

type Kind = 'users' | 'businesses' | 'accountGroups' | 'accounts';

interface Picker {
	method: ListSearchMethod;
	kind: Kind;
	path: string;
	/** What each entry shows before its status. */
	shows: string;
	/** The seeded status, and another one. */
	statuses: [string, string];
}

const picker = (
	method: ListSearchMethod,
	kind: Kind,
	path: string,
	shows: string,
	other: string,
): Picker => ({ method, kind, path, shows, statuses: ['ACTIVE', other] });

const PICKERS: Picker[] = [
	picker('searchUsers', 'users', '/users', 'User', 'INACTIVE'),
	picker('searchBusinesses', 'businesses', '/businesses', 'LIMITED_LIABILITY_COMPANY', 'INACTIVE'),
	picker('searchAccountGroups', 'accountGroups', '/account_groups', 'PERSONAL', 'PENDING_APPROVAL'),
	picker('searchAccounts', 'accounts', '/accounts', 'TRADING', 'PENDING_APPROVAL'),
];

function seed(picker: Picker, count: number, status = picker.statuses[0]): string[] {
	const owner = picker.kind === 'accounts' || picker.kind === 'accountGroups';
	const spec = { count, status, ...(owner ? { userId: USERS[0] } : {}) };
	return node.sim.seed({ [picker.kind]: spec })[picker.kind];
}

const values = (page: INodeListSearchResult) => page.results.map((entry) => entry.value);

describe.each(PICKERS.map((entry) => [entry.method, entry] as const))('%s', (_name, picker) => {
	const search = async (filter?: string, paginationToken?: string) =>
		await node.searchList(picker.method, runs.store(), filter, paginationToken);

	test('newest first, a page of 100 at a time with a token for the next', async () => {
		const ids = seed(picker, 150);
		const first = await search();
		expect(values(first)).toEqual([...ids].reverse().slice(0, 100));
		expect(first.paginationToken).toBe('100');
		const second = await search(undefined, first.paginationToken as string);
		expect(values(second)).toEqual([...ids].reverse().slice(100));
		expect(second.paginationToken).toBeUndefined();
		const asked = node.apiRecords().map((record) => `${record.path}?${record.query}`);
		expect(asked).toEqual([
			`${picker.path}?sort=created_at&order=DESC&offset=0&limit=100`,
			`${picker.path}?sort=created_at&order=DESC&offset=100&limit=100`,
		]);
		const label = new RegExp(
			`^${picker.shows} · ${picker.statuses[0]} · created \\d{4}-\\d{2}-\\d{2} · [0-9a-f]{8}…$`,
		);
		for (const entry of first.results) expect(entry.name).toMatch(label);
		expect(first.results[0].name.endsWith(`${ids[149].slice(0, 8)}…`)).toBe(true);
		// A whole ID is looked up directly, however old; part of one reads on until it matches.
		const before = node.apiRecords().length;
		const byId = await search(ids[0].toUpperCase());
		expect([values(byId), byId.paginationToken]).toEqual([[ids[0]], undefined]);
		expect(byId.results[0].name).toMatch(label);
		const partial = await search(ids[0].slice(-12));
		expect([values(partial), partial.paginationToken]).toEqual([[ids[0]], undefined]);
		expect(
			node
				.apiRecords()
				.slice(before)
				.map((record) => `${record.path}?${record.query}`),
		).toEqual([
			`${picker.path}/${ids[0]}?null`,
			`${picker.path}?sort=created_at&order=DESC&offset=0&limit=100`,
			`${picker.path}?sort=created_at&order=DESC&offset=100&limit=100`,
		]);
		expect(values(await search('00000000-0000-4000-8000-00000000dead'))).toEqual([]);
	});

	test('the search matches the whole ID in any case, or the status shown', async () => {
		const [, other] = picker.statuses;
		const ids = seed(picker, 3);
		const others = seed(picker, 2, other);
		// The end of an ID is not shown, but the search finds it.
		expect(values(await search(ids[1].slice(-12)))).toEqual([ids[1]]);
		expect(values(await search(ids[2].toUpperCase()))).toEqual([ids[2]]);
		expect(values(await search(` ${other.toLowerCase()} `))).toEqual([...others].reverse());
		expect(values(await search('no-such-entry'))).toEqual([]);
	});
});

test('no picker shows a name, an e-mail address or an account name', async () => {
	const userId = await runs.user(40);
	const businessId = await runs.business(41, 'soleTrader');
	const groupId = await runs.group({ userId });
	const accountName = `Depot ${String(customer(40).firstName)} ${String(customer(40).lastName)}`;
	await runs.account({ userId }, groupId, { additionalFields: { name: accountName } });

	const pages = await Promise.all(
		PICKERS.map(async (entry) => await node.searchList(entry.method, runs.store())),
	);
	expect(pages.map((page) => values(page))).toEqual([
		[userId],
		[businessId],
		[groupId],
		[node.sim.state.accounts[0].id],
	]);
	expect(pages[1].results[0].name).toMatch(/^SOLE_TRADER · INACTIVE · /);
	const shown = JSON.stringify(pages);
	const sole = company(41, 'soleTrader');
	for (const personal of [
		...personalValues(40),
		...personalValues(41),
		String(sole.companyName),
		String(sole.email),
		accountName,
	]) {
		expect(shown).not.toContain(personal);
	}
});
