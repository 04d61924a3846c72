'use strict';

/** POST /businesses over HTTP: both business types, every field rule, idempotency and scopes. */

const { expectProblem } = require('./helpers');
const F = require('./onboarding-fixtures');

const { suite, api } = F.useOnboarding();

const createBusiness = (body, options) => api.post('/businesses', body, options);

describe('POST /businesses', () => {
	test('a limited liability company: 200 with the body, INACTIVE, BUSINESS.CREATED', async () => {
		const body = F.company({
			registration_number: 'HRB 123456',
			terms_and_conditions: F.consent(),
			data_privacy_and_sharing_agreement: F.consent(),
			identification: {
				...F.company().identification,
				district_court: 'Amtsgericht Charlottenburg',
				legal_entity_identifier: '5299009N55YRQC69CN08',
			},
		});
		const res = await createBusiness(body);
		expect(res.status).toBe(200);
		expect(res.json).toEqual(F.created(body, 'INACTIVE'));
		expect(suite.sim.state.events.map((e) => [e.type, e.object])).toEqual([
			['BUSINESS.CREATED', res.json],
		]);
	});

	test('a sole trader: incorporation_date optional, no company-only fields', async () => {
		expect((await createBusiness(F.soleTrader())).status).toBe(200);
		const dated = await createBusiness(F.soleTrader({}, { incorporation_date: '2020-02-29' }));
		expect(dated.json.identification.incorporation_date).toBe('2020-02-29');
		F.expectFieldError(
			await createBusiness(F.soleTrader({}, { common_reporting_standards: {} })),
			'identification.common_reporting_standards',
		);
		F.expectFieldError(
			await createBusiness(F.soleTrader({}, { legal_designation: 'AKTIENGESELLSCHAFT' })),
			'identification.legal_designation',
		);
	});

	test.each([
		[
			'STEUERNUMMER',
			[
				'1338150815',
				'13381508159',
				'133/8150/8159',
				'181/815/08155',
				'24/815/08151',
				'181/815/0815',
			],
		],
		['WIRTSCHAFTSIDENTIFIKATIONSNUMMER', ['DE123456789', 'DE123456789-00001']],
	])('%s: the numbers Upvest takes', async (type, numbers) => {
		for (const number of numbers) {
			const body = F.company({
				tax_information: F.taxInformation({
					tax_identification_type: type,
					tax_identification_number: number,
				}),
			});
			expect((await createBusiness(body)).status).toBe(200);
		}
	});

	test.each([
		['STEUERNUMMER', '133/81508159'],
		['STEUERNUMMER', '1338/150/8159'],
		['STEUERNUMMER', '123456789'],
		['STEUERNUMMER', '133 8150 8159'],
		['WIRTSCHAFTSIDENTIFIKATIONSNUMMER', 'DE12345678'],
		['WIRTSCHAFTSIDENTIFIKATIONSNUMMER', 'de123456789'],
		['WIRTSCHAFTSIDENTIFIKATIONSNUMMER', 'DE123456789-0001'],
	])('%s %s is a 400 naming the number, not quoting it', async (type, number) => {
		const body = F.company({
			tax_information: F.taxInformation({
				tax_identification_type: type,
				tax_identification_number: number,
			}),
		});
		const res = await createBusiness(body);
		F.expectFieldError(res, 'tax_information.tax_identification_number', number);
		expect(res.json.detail).toContain(type);
	});

	test.each([
		[{ contact_email: 'office-at-geheim.example' }, 'contact_email', 'office-at-geheim'],
		[{ contact_email: undefined }, 'contact_email'],
		[
			{ registered_address: F.address({ postcode: '!Versteck1' }) },
			'registered_address.postcode',
			'Versteck1',
		],
		[{ registered_address: undefined }, 'registered_address'],
		[{ registration_number: 'HRB '.repeat(30) }, 'registration_number', 'HRB HRB'],
		[
			{ tax_information: F.taxInformation({ tax_country_code: 'Deutschland' }) },
			'tax_information.tax_country_code',
			'Deutschland',
		],
		[
			{ tax_information: F.taxInformation({ tax_identification_type: 'VAT' }) },
			'tax_information.tax_identification_type',
		],
		[
			{ tax_information: F.taxInformation({ is_subject_to_fatca: 'no' }) },
			'tax_information.is_subject_to_fatca',
		],
		[
			{
				tax_information: F.taxInformation({ is_resident_in_multiple_tax_jurisdictions: undefined }),
			},
			'tax_information.is_resident_in_multiple_tax_jurisdictions',
		],
		[
			{ business_type: 'GBR' },
			'business_type',
			'GBR',
			'business_type must be one of LIMITED_LIABILITY_COMPANY, SOLE_TRADER',
		],
		[{ business_type: undefined }, 'business_type', undefined, 'business_type is required'],
		[{ identification: undefined }, 'identification'],
		[
			{ identification: { ...F.company().identification, company_name: '' } },
			'identification.company_name',
		],
		[
			{ identification: { ...F.company().identification, company_name: 'Firma '.repeat(40) } },
			'identification.company_name',
			'Firma Firma',
		],
		[
			{ identification: { ...F.company().identification, incorporation_date: '2999-01-01' } },
			'identification.incorporation_date',
			'2999-01-01',
		],
		[
			{ identification: { ...F.company().identification, incorporation_date: undefined } },
			'identification.incorporation_date',
		],
		[
			{
				identification: { ...F.company().identification, district_court: 'Amtsgericht '.repeat(4) },
			},
			'identification.district_court',
			'Amtsgericht',
		],
		[
			{ identification: { ...F.company().identification, legal_designation: 'FREIBERUFLER' } },
			'identification.legal_designation',
		],
		[
			{
				identification: {
					...F.company().identification,
					legal_entity_identifier: '5299009N55YRQC69CN0X',
				},
			},
			'identification.legal_entity_identifier',
			'5299009N55YRQC69CN0X',
		],
		[
			{ identification: { ...F.company().identification, common_reporting_standards: undefined } },
			'identification.common_reporting_standards',
		],
		[
			{
				identification: {
					...F.company().identification,
					common_reporting_standards: { is_financial_institution: false },
				},
			},
			'identification.common_reporting_standards.is_passive_non_financial_entity',
		],
		[
			{ terms_and_conditions: { consent_document_id: 'agb-2026', confirmed_at: F.hoursAgo() } },
			'terms_and_conditions.consent_document_id',
			'agb-2026',
		],
		[{ industry: 'RETAIL_TRADE' }, 'industry'],
	])('%p is a 400 naming %s', async (fields, field, secret = undefined, detail = undefined) => {
		const body = F.company(fields);
		for (const [key, value] of Object.entries(fields)) if (value === undefined) delete body[key];
		if (body.identification) {
			for (const [key, value] of Object.entries(body.identification))
				if (value === undefined) delete body.identification[key];
		}
		for (const [key, value] of Object.entries(body.tax_information ?? {}))
			if (value === undefined) delete body.tax_information[key];
		const res = await createBusiness(body);
		F.expectFieldError(res, field, secret);
		if (detail) expect(res.json.detail).toBe(detail);
		expect(suite.sim.state.businesses).toHaveLength(0);
	});

	test('idempotency key required and replayed; businesses:admin to create', async () => {
		expectProblem(
			await createBusiness(F.company(), { idempotencyKey: null }),
			400,
			'The idempotency-key header is required',
		);
		const idempotencyKey = F.uuid();
		const first = await createBusiness(F.company(), { idempotencyKey });
		const again = await createBusiness(F.company(), { idempotencyKey });
		expect(again.headers['upvest-idempotent-replay']).toBe('true');
		expect(again.json).toEqual(first.json);
		expect(suite.sim.state.businesses).toHaveLength(1);
		const read = await suite.client.token('businesses:read');
		expectProblem(
			await suite.client.post('/businesses', read, F.company()),
			403,
			'Missing required scope: businesses:admin',
		);
	});
});
