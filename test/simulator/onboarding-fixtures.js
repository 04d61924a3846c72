'use strict';

/**
 * Valid request bodies of the onboarding resources (users, checks, identifiers, tax residencies,
 * businesses, accounts) for the simulator tests, and small helpers to drive them. The personal
 * data is made up; tests that prove a value is never echoed use distinctive values of their own.
 */

const crypto = require('node:crypto');
const { expectProblem, useSimulator, UUID_RE } = require('./helpers');

const uuid = () => crypto.randomUUID();
/** An RFC 3339 time `hoursAgo` hours before now. */
const hoursAgo = (hours = 1) => new Date(Date.now() - hours * 3600000).toISOString();

const address = (fields = {}) => ({
	address_line1: 'Musterstrasse 1',
	postcode: '10115',
	city: 'Berlin',
	country: 'DE',
	...fields,
});
const byolUser = (fields = {}) => ({
	first_name: 'Erika',
	last_name: 'Mustermann',
	birth_date: '1984-08-12',
	nationalities: ['DE'],
	address: address(),
	...fields,
});
const consent = () => ({ consent_document_id: uuid(), confirmed_at: '2026-01-05T10:00:00+01:00' });
const tolUser = (fields = {}) =>
	byolUser({
		email: 'erika@example.com',
		fatca: { status: false, confirmed_at: '2026-01-05T10:00:00+01:00' },
		terms_and_conditions: consent(),
		data_privacy_and_sharing_agreement: consent(),
		...fields,
	});

const kyc = (fields = {}) => ({
	type: 'KYC',
	check_confirmed_at: hoursAgo(),
	data_download_link: 'https://files.example.com/kyc/evidence.zip',
	document_type: 'PASSPORT',
	document_expiration_date: '2031-02-03',
	nationality: 'DE',
	provider: 'IDnow',
	method: 'VIDEO_ID',
	...fields,
});
const por = (fields = {}) => ({
	type: 'POR',
	check_confirmed_at: hoursAgo(),
	issuance_date: '2026-01-02',
	data_download_link: 'https://files.example.com/por/bill.pdf',
	document_type: 'UTILITY_BILL',
	confirmed_address: address(),
	...fields,
});
const instrumentFit = (fields = {}) => ({
	type: 'INSTRUMENT_FIT',
	check_confirmed_at: hoursAgo(),
	instrument_suitability: { suitability: true },
	...fields,
});
const kyb = (fields = {}) => ({
	type: 'KYB',
	originally_confirmed_at: hoursAgo(48),
	check_confirmed_at: hoursAgo(),
	data_download_link: 'https://files.example.com/kyb/bundle.zip',
	...fields,
});

const taxInformation = (fields = {}) => ({
	tax_country_code: 'DE',
	tax_identification_type: 'STEUERNUMMER',
	tax_identification_number: '133/8150/8159',
	is_resident_in_multiple_tax_jurisdictions: false,
	is_subject_to_fatca: false,
	...fields,
});
const company = (fields = {}, identification = {}) => ({
	contact_email: 'office@example.com',
	registered_address: address(),
	tax_information: taxInformation(),
	business_type: 'LIMITED_LIABILITY_COMPANY',
	identification: {
		company_name: 'Beispiel GmbH',
		incorporation_date: '2015-06-01',
		legal_designation: 'GESELLSCHAFT_MIT_BESCHRAENKTER_HAFTUNG',
		common_reporting_standards: {
			is_passive_non_financial_entity: false,
			is_financial_institution: false,
		},
		...identification,
	},
	...fields,
});
const soleTrader = (fields = {}, identification = {}) => ({
	...company(),
	business_type: 'SOLE_TRADER',
	identification: {
		company_name: 'Erika Mustermann Design',
		legal_designation: 'FREIBERUFLER',
		...identification,
	},
	...fields,
});

const ALL_SCOPES = [
	'users:admin users:read checks:admin checks:read taxes:admin taxes:read',
	'accounts:admin accounts:read roles:admin roles:read businesses:admin businesses:read',
	'webhooks:admin webhooks:read',
].join(' ');

/** Waits until `check()` holds. */
async function waitFor(check, timeoutMs = 5000) {
	const started = Date.now();
	while (!check()) {
		if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A 400 naming `field` (detail starts with it, or is `Unknown field: <field>`) that does not
 * quote `secret`, the submitted value.
 */
function expectFieldError(res, field, secret) {
	expectProblem(res, 400, undefined, 'bad_request');
	const { detail } = res.json;
	const named =
		detail.startsWith(`${field} `) ||
		detail === `Unknown field: ${field}` ||
		detail.startsWith(`${field}.`) ||
		detail.startsWith(`${field}[`);
	if (!named) throw new Error(`detail "${detail}" does not name ${field}`);
	if (secret !== undefined) expect(res.text).not.toContain(String(secret));
}

/**
 * API helpers over a suite of useSimulator(): one token with every scope, refreshed by
 * `refresh()` (call it in beforeEach), and the calls the onboarding tests make.
 */
function onboardingApi(suite) {
	const api = {
		token: null,
		async refresh() {
			api.token = await suite.client.token(ALL_SCOPES);
		},
		post: (path, body, options) => suite.client.post(path, api.token, body, options),
		/** A POST without an idempotency key (checks and identifiers take none). */
		submit: (path, body, options) =>
			suite.client.post(path, api.token, body, { idempotencyKey: null, ...options }),
		get: (path, query, token = api.token) => suite.client.call('GET', path, token, { query }),
		del: (path, token = api.token) => suite.client.call('DELETE', path, token),
		patch: (path, body, token = api.token) => suite.client.write('PATCH', path, token, body),
		async created(path, body) {
			const res = await api.post(path, body);
			if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text}`);
			return res.json;
		},
		user: (fields) => api.created('/users', byolUser(fields)),
		business: (fields) => api.created('/businesses', company(fields)),
		group: (body) => api.created('/account_groups', body),
		account: (body) => api.created('/accounts', body),
		role: (body) => api.created('/roles', body),
		async check(userId, body = kyc()) {
			const res = await api.submit(`/users/${userId}/checks`, body);
			if (res.status !== 202) throw new Error(`check: ${res.status} ${res.text}`);
			return res.json.id;
		},
		async kyb(businessId, body = kyb()) {
			const res = await api.submit(`/businesses/${businessId}/checks`, body);
			if (res.status !== 202) throw new Error(`kyb: ${res.status} ${res.text}`);
			return res.json.id;
		},
		/** The types of the events emitted so far, in order. */
		eventTypes: () => suite.sim.state.events.map((event) => event.type),
	};
	return api;
}

/** Statuses change only when a test says so; checks pass; the default required checks. */
const QUIET = {
	activationDelayMs: null,
	closeDelayMs: null,
	checkDelayMs: null,
	checkOutcome: 'PASSED',
	requiredUserChecks: { BYOL: ['KYC'], TOL: ['KYC', 'INSTRUMENT_FIT'] },
};

/**
 * Jest hooks of an onboarding test file: useSimulator() with QUIET and `config`, and the API
 * helpers with a fresh all-scopes token before each test. Returns { suite, api }.
 */
function useOnboarding(config = {}) {
	const suite = useSimulator({ ...QUIET, ...config });
	const api = onboardingApi(suite);
	beforeEach(() => api.refresh());
	return { suite, api };
}

/** What a create answers: a new id and times, the fields, and the first status. */
const created = (fields, status) => ({
	id: expect.stringMatching(UUID_RE),
	created_at: expect.any(String),
	updated_at: expect.any(String),
	...fields,
	status,
});

module.exports = {
	useOnboarding,
	created,
	uuid,
	hoursAgo,
	address,
	byolUser,
	tolUser,
	consent,
	kyc,
	por,
	instrumentFit,
	kyb,
	company,
	soleTrader,
	taxInformation,
	waitFor,
	pause,
	expectFieldError,
	onboardingApi,
	ALL_SCOPES,
};
