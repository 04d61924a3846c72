/**
 * Business → Create (company and sole trader), Get, Get Many and Submit KYB Check through
 * n8n-core's real execution against the simulator: the exact bodies, the idempotency key, a KYB
 * check never submitted twice although Upvest takes no key for it, and a business's activation as
 * the node sees it: KYB check and the three roles, then the business and its account group ACTIVE.
 */
import type { IDataObject } from 'n8n-workflow';

import { UNKNOWN_ID, accountGroup, role } from '../support/node-builders';
import {
	PRIVACY_DOCUMENT,
	TERMS_DOCUMENT,
	business,
	businessBody,
	byId,
	company,
	createBusiness,
	submitKyb,
} from '../support/onboarding-builders';
import {
	REQUIRED_BUSINESS_ROLES,
	businessRole,
	useOnboardingSuite,
} from '../support/onboarding-runs';

const { node, runs } = useOnboardingSuite(40);

const CONFIRMED_AT = '2026-11-30T14:15:00.000Z';

describe('Business → Create', () => {
	test('a company: the exact body with a key derived from it; the output is the business', async () => {
		const result = await runs.run(createBusiness('company'), [company(0), company(1)]);
		expect(result.error).toBeUndefined();
		expect(runs.bodies('POST', '/businesses')).toEqual([
			businessBody('company', 0),
			businessBody('company', 1),
		]);
		runs.expectDerivedKeys('/businesses');
		expect(result.items.map((item) => item.json)).toEqual(
			node.sim.state.businesses.map((entry) => JSON.parse(JSON.stringify(entry)) as IDataObject),
		);
		expect(result.items[1].json).toMatchObject({
			...businessBody('company', 1),
			id: expect.any(String),
			status: 'INACTIVE',
		});
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		node.expectNoLeak(result);
	});

	test('a company with every optional field: the tax information, CRS answers, consents, court, LEI and registration number', async () => {
		const parameters = createBusiness('company', {
			companyDesignation: 'AKTIENGESELLSCHAFT',
			taxIdentificationType: 'WIRTSCHAFTSIDENTIFIKATIONSNUMMER',
			taxIdentificationNumber: 'DE123456789-00001',
			multipleTaxJurisdictions: true,
			subjectToFatca: true,
			passiveNonFinancialEntity: true,
			financialInstitution: false,
			additionalFields: {
				termsAndConditionsDocumentId: TERMS_DOCUMENT,
				termsAndConditionsConfirmedAt: '={{ $json.confirmedAt }}',
				dataPrivacyAgreementDocumentId: PRIVACY_DOCUMENT,
				dataPrivacyAgreementConfirmedAt: '2026-11-29T08:00:00+01:00',
				districtCourt: 'Amtsgericht Charlottenburg',
				legalEntityIdentifier: '529900T8BM49AURSDO55',
				registrationNumber: 'HRB 123456 B',
			},
		});
		await runs.ok(parameters, [company(2)]);
		const expected = businessBody('company', 2);
		expect(runs.bodies('POST', '/businesses')).toEqual([
			{
				...expected,
				tax_information: {
					tax_country_code: 'DE',
					tax_identification_type: 'WIRTSCHAFTSIDENTIFIKATIONSNUMMER',
					tax_identification_number: 'DE123456789-00001',
					is_resident_in_multiple_tax_jurisdictions: true,
					is_subject_to_fatca: true,
				},
				identification: {
					...(expected.identification as IDataObject),
					legal_designation: 'AKTIENGESELLSCHAFT',
					district_court: 'Amtsgericht Charlottenburg',
					legal_entity_identifier: '529900T8BM49AURSDO55',
					common_reporting_standards: {
						is_passive_non_financial_entity: true,
						is_financial_institution: false,
					},
				},
				terms_and_conditions: { consent_document_id: TERMS_DOCUMENT, confirmed_at: CONFIRMED_AT },
				data_privacy_and_sharing_agreement: {
					consent_document_id: PRIVACY_DOCUMENT,
					confirmed_at: '2026-11-29T07:00:00.000Z',
				},
				registration_number: 'HRB 123456 B',
			},
		]);
	});

	test('a sole trader: company name and designation only, no incorporation date or CRS answers', async () => {
		const created = await runs.ok(createBusiness('soleTrader'), [company(3, 'soleTrader')]);
		expect(runs.bodies('POST', '/businesses')).toEqual([businessBody('soleTrader', 3)]);
		expect(created[0]).toMatchObject({ business_type: 'SOLE_TRADER', status: 'INACTIVE' });
	});

	test('a sole trader with the optional incorporation date, registration number and one consent', async () => {
		const parameters = createBusiness('soleTrader', {
			soleTraderDesignation: 'FREIBERUFLER',
			additionalFields: {
				incorporationDate: '2019-07-01',
				registrationNumber: 'PR 1234',
				termsAndConditionsDocumentId: TERMS_DOCUMENT,
				termsAndConditionsConfirmedAt: '={{ $json.confirmedAt }}',
			},
		});
		await runs.ok(parameters, [company(4, 'soleTrader')]);
		const expected = businessBody('soleTrader', 4);
		expect(runs.bodies('POST', '/businesses')).toEqual([
			{
				...expected,
				identification: {
					company_name: company(4, 'soleTrader').companyName,
					legal_designation: 'FREIBERUFLER',
					incorporation_date: '2019-07-01',
				},
				terms_and_conditions: { consent_document_id: TERMS_DOCUMENT, confirmed_at: CONFIRMED_AT },
				registration_number: 'PR 1234',
			},
		]);
	});

	test('re-running the same input creates nothing: Upvest replays the first answer', async () => {
		const first = await runs.ok(createBusiness('soleTrader'), [company(5, 'soleTrader')]);
		const again = await runs.ok(createBusiness('soleTrader'), [company(5, 'soleTrader')]);
		expect(again[0].id).toBe(first[0].id);
		expect(node.sim.state.businesses).toHaveLength(1);
		expect(runs.sent('POST', '/businesses').map((record) => record.replayed)).toEqual([
			false,
			true,
		]);
	});

	test('a credential without businesses:admin: the 403 says which scope to add', async () => {
		const limited = node.newStore('ed25519', { scopes: 'businesses:read checks:admin' });
		const result = await node.run(createBusiness(), [company(6)], { store: limited });
		expect(result.error?.message).toBe('Upvest answered 403 Forbidden [item 0]');
		expect(result.error?.description).toContain('Add businesses:admin to the Scopes');
		expect(node.sim.state.businesses).toHaveLength(0);
	});
});

describe('Business → Get, Get Many', () => {
	test('Get by ID, from the list, or as a plain string saved before the picker; an unknown ID is a 404', async () => {
		const id = await runs.business(7);
		for (const value of [byId(id), { __rl: true, mode: 'list', value: id }, id]) {
			const got = await runs.get(business('get', { businessId: value }));
			expect(got).toMatchObject({ ...businessBody('company', 7), id, status: 'INACTIVE' });
		}
		expect(runs.sent('GET', `/businesses/${id}`)).toHaveLength(3);
		const unknown = { businessId: byId(UNKNOWN_ID) };
		await runs.notFound(business('get', unknown), [{}], `Business ${UNKNOWN_ID} not found`);
	});

	test('Get Many: every business, up to Limit, with sort and order', async () => {
		const ids = node.sim.seed({ businesses: { count: 4 } }).businesses;
		const listed = (items: IDataObject[]) => items.map((item) => item.id);
		expect(listed(await runs.ok(business('getAll', { returnAll: true })))).toEqual(ids);
		expect(
			listed(await runs.ok(business('getAll', { limit: 3, options: { order: 'DESC' } }))),
		).toEqual([...ids].reverse().slice(0, 3));
		const byUpdate = await runs.ok(
			business('getAll', { returnAll: true, options: { sort: 'updated_at' } }),
		);
		expect(byUpdate.map((item) => item.updated_at)).toEqual(
			node.sim.state.businesses.map((entry) => String(entry.updated_at)).sort(),
		);
		expect(node.apiRecords().map((record) => record.query)).toEqual([
			'offset=0&limit=1000',
			'order=DESC&offset=0&limit=3',
			'sort=updated_at&offset=0&limit=1000',
		]);
	});
});

describe('Business → Submit KYB Check', () => {
	async function businessWithInput(n: number): Promise<IDataObject> {
		return { ...company(n), businessId: await runs.business(n) };
	}
	const checksPath = (input: IDataObject) => `/businesses/${String(input.businessId)}/checks`;
	const kybPosts = (input: IDataObject) => runs.sent('POST', checksPath(input));

	test('the exact body, without a key; originally_confirmed_at defaults to check_confirmed_at; the lookup comes first', async () => {
		const input = await businessWithInput(10);
		const result = await runs.run(submitKyb(), [input]);
		expect(result.error).toBeUndefined();
		const body = {
			type: 'KYB',
			originally_confirmed_at: CONFIRMED_AT,
			check_confirmed_at: CONFIRMED_AT,
			data_download_link: input.documentLink,
		};
		expect(runs.bodies('POST', checksPath(input))).toEqual([body]);
		const [post] = kybPosts(input);
		expect(post.idempotencyKey).toBeUndefined();
		expect(post.status).toBe(202);
		expect(result.items[0].json).toEqual({
			id: node.sim.state.businessChecks[0].id,
			business_id: input.businessId,
			...body,
			alreadyExisted: false,
		});
		const calls = node.apiRecords().slice(-2);
		expect(calls.map((record) => [record.method, record.path, record.query])).toEqual([
			['GET', checksPath(input), null],
			['POST', checksPath(input), null],
		]);
		node.expectNoLeak(result);
	});

	test('a later check of a business checked before names when it was first confirmed', async () => {
		const input = await businessWithInput(11);
		await runs.ok(
			submitKyb({ additionalFields: { originallyConfirmedAt: '2025-02-03T10:00:00Z' } }),
			[input],
		);
		expect(runs.bodies('POST', checksPath(input))[0]).toMatchObject({
			originally_confirmed_at: '2025-02-03T10:00:00.000Z',
			check_confirmed_at: CONFIRMED_AT,
		});
	});

	test('re-running the same input finds the check and submits nothing', async () => {
		const input = await businessWithInput(12);
		const [first] = await runs.ok(submitKyb(), [input]);
		const [again] = await runs.ok(submitKyb(), [input]);
		expect(kybPosts(input)).toHaveLength(1);
		expect(again).toMatchObject({
			id: first.id,
			business_id: input.businessId,
			type: 'KYB',
			status: 'IN_PROGRESS',
			alreadyExisted: true,
		});
		expect(node.sim.state.businessChecks).toHaveLength(1);
		// A new confirmation time is a new check.
		await runs.ok(submitKyb(), [{ ...input, confirmedAt: '2026-12-01T08:00:00Z' }]);
		expect(kybPosts(input)).toHaveLength(2);
	});

	test('the same check on two items of one run goes out once; both items show it', async () => {
		const input = await businessWithInput(13);
		const output = await runs.ok(submitKyb(), [input, input]);
		expect(kybPosts(input)).toHaveLength(1);
		expect(new Set(output.map((item) => item.id)).size).toBe(1);
		expect(output.map((item) => item.alreadyExisted)).toEqual([false, true]);
	});

	test('a connection dropped after Upvest took the check: the resend finds it instead', async () => {
		const input = await businessWithInput(14);
		node.sim.setFaults([
			{ method: 'POST', path: '/businesses/*/checks', kind: 'drop-after-create', count: 1 },
		]);
		const [output] = await runs.ok(submitKyb(), [input]);
		expect(node.sim.state.businessChecks).toHaveLength(1);
		expect(output).toMatchObject({ id: node.sim.state.businessChecks[0].id, alreadyExisted: true });
		expect(
			node
				.apiRecords()
				.filter((record) => record.path === checksPath(input))
				.map((record) => [record.method, record.status]),
		).toEqual([
			['GET', 200],
			['POST', null],
			['GET', 200],
		]);
	});

	test('an unknown business is Upvest’s 404 and nothing is submitted', async () => {
		const input = { ...company(15), businessId: UNKNOWN_ID };
		await runs.notFound(submitKyb(), [input], `Business ${UNKNOWN_ID} not found`);
		expect(runs.sent('POST', /\/checks$/)).toHaveLength(0);
	});
});

test('a business turns ACTIVE with a passed KYB check and the three roles ACTIVE; then its account group', async () => {
	const businessId = await runs.business(20);
	const groupId = await runs.group({ businessId });
	const [kyb] = await runs.ok(submitKyb(), [{ ...company(20), businessId }]);
	const people = [await runs.user(21), await runs.user(22), await runs.user(23)];
	const roles = await runs.ok(
		businessRole,
		REQUIRED_BUSINESS_ROLES.map((roleType, n) => ({ userId: people[n], businessId, roleType })),
	);
	expect(runs.bodies('POST', '/roles')).toEqual(
		REQUIRED_BUSINESS_ROLES.map((roleType, n) => ({
			user_id: people[n],
			entity_type: 'BUSINESS',
			entity_id: businessId,
			role_type: roleType,
		})),
	);
	// The roles wait for their users, who are not onboarded yet.
	expect(roles.map((entry) => entry.status)).toEqual(['PENDING', 'PENDING', 'PENDING']);

	const statuses = async () => ({
		business: (await runs.get(business('get', { businessId: byId(businessId) }))).status,
		group: (await runs.get(accountGroup('get', { accountGroupId: byId(groupId) }))).status,
		roles: (
			await runs.ok(role('getAll', { returnAll: true, filters: { entityId: businessId } }))
		).map((entry) => entry.status),
	});
	// Two users are onboarded by their KYC checks, the third is moved directly.
	for (const [n, userId] of people.slice(0, 2).entries()) {
		node.sim.setStatus({ checkId: await runs.kyc(userId, 21 + n), status: 'PASSED' });
	}
	expect(await statuses()).toEqual({
		business: 'INACTIVE',
		group: 'PENDING_APPROVAL',
		roles: ['ACTIVE', 'ACTIVE', 'PENDING'],
	});
	node.sim.setStatus({ userId: people[2], status: 'ACTIVE' });
	// Every role is ACTIVE, but the KYB check is still in progress.
	expect(await statuses()).toEqual({
		business: 'INACTIVE',
		group: 'PENDING_APPROVAL',
		roles: ['ACTIVE', 'ACTIVE', 'ACTIVE'],
	});
	node.sim.setStatus({ checkId: String(kyb.id), status: 'PASSED' });
	expect(await statuses()).toEqual({
		business: 'ACTIVE',
		group: 'ACTIVE',
		roles: ['ACTIVE', 'ACTIVE', 'ACTIVE'],
	});
	const group = await runs.get(accountGroup('get', { accountGroupId: byId(groupId) }));
	expect(group).toMatchObject({ type: 'BUSINESS', business_id: businessId });
});
