'use strict';

/**
 * Businesses (Upvest's API reference, businesses): POST/GET /businesses, GET
 * /businesses/{business_id}, the status lifecycle (INACTIVE → ACTIVE once onboarded: see
 * resources/onboarding.js) and seeding. KYB checks are resources/checks.js's.
 */

const crypto = require('node:crypto');
const { validateBusinessBody, BUSINESS_TYPES } = require('../validation/businesses');
const { contextOf } = require('../validation/schema');
const { problem, jsonResponse } = require('../http/wire');
const { listRoute } = require('./list');
const { getByIdRoute } = require('./lookup');
const {
	createLifecycle,
	createdNow,
	ONBOARDING_STATUSES,
	onboardingEvents,
} = require('./lifecycle');
const { createStore } = require('./store');
const { seedClock, optionalEnum } = require('./seed');

const READ = ['businesses:read', 'businesses:admin'];
const ADMIN = ['businesses:admin'];
const SORTS = ['created_at', 'updated_at'];
const WHERE = { param: 'business_id', noun: 'Business' };
const STATUSES = ONBOARDING_STATUSES;
const EVENTS = onboardingEvents('BUSINESS');

/** The data of a seeded business: obviously fake, the same for each but the number. */
function seededBusiness(number, businessType) {
	const n = String(number).padStart(4, '0');
	const identification =
		businessType === 'SOLE_TRADER'
			? { company_name: `Seeded Business ${n}`, legal_designation: 'EINZELUNTERNEHMER' }
			: {
					company_name: `Seeded Business ${n}`,
					incorporation_date: '2000-01-01',
					legal_designation: 'GESELLSCHAFT_MIT_BESCHRAENKTER_HAFTUNG',
					common_reporting_standards: {
						is_passive_non_financial_entity: false,
						is_financial_institution: false,
					},
				};
	return {
		contact_email: `seeded.business.${n}@example.invalid`,
		registered_address: {
			address_line1: `Seed Street ${number}`,
			postcode: '10115',
			city: 'Seedville',
			country: 'DE',
		},
		tax_information: {
			tax_country_code: 'DE',
			tax_identification_type: 'STEUERNUMMER',
			tax_identification_number: '1234567890',
			is_resident_in_multiple_tax_jurisdictions: false,
			is_subject_to_fatca: false,
		},
		business_type: businessType,
		identification,
	};
}

/**
 * @param deps {{ items: object[] (live state array), getConfig, scheduler, emit, guard,
 *                links: the onboarding rules (businessMoved) }}
 */
function createBusinesses({ items, getConfig, scheduler, emit, guard, links }) {
	const businesses = createStore(items, WHERE);
	// links are filled in once every resource exists: look the rule up when it is needed.
	const onMove = (resource, status) => links.businessMoved(resource, status);
	const lifecycle = createLifecycle({ scheduler, emit, onMove }, EVENTS);

	const store = (fields, times, status) =>
		businesses.add({ id: crypto.randomUUID(), ...times, ...fields, status });

	function create(body) {
		const valid = validateBusinessBody(body, contextOf(getConfig()));
		if (!valid.ok) return problem(400, valid.detail);
		const business = store(valid.value, createdNow(), 'INACTIVE');
		emit('BUSINESS.CREATED', business);
		return jsonResponse(200, business);
	}

	const routes = [
		{
			method: 'POST',
			path: '/businesses',
			handler: (ctx) => guard.write(ctx, ADMIN, { idempotencyKey: 'required' }, create),
		},
		listRoute({ path: '/businesses', scopes: READ, guard, getConfig, sorts: SORTS, items }),
		getByIdRoute({
			path: '/businesses/{business_id}',
			...WHERE,
			scopes: READ,
			guard,
			byId: businesses.byId,
		}),
	];

	/** POST /__simulator/seed { businesses: { count, businessType?, status?, createdFrom?, spacingMs? } } */
	function seed(spec) {
		const where = 'businesses';
		const clock = seedClock(spec, where, ['businessType', 'status']);
		const type = optionalEnum(spec, 'businessType', BUSINESS_TYPES, where) ?? BUSINESS_TYPES[0];
		const status = optionalEnum(spec, 'status', STATUSES, where) ?? 'ACTIVE';
		const ids = [];
		for (let i = 0; i < spec.count; i++)
			ids.push(store(seededBusiness(items.length + 1, type), clock(i), status).id);
		return ids;
	}

	return {
		routes,
		seed,
		setStatus: (id, status) => businesses.setStatus(id, status, STATUSES, lifecycle),
		get: businesses.get,
		find: businesses.find,
		/** Moves the business to ACTIVE now (its onboarding is complete). */
		activate: (business) => lifecycle.move(business, 'ACTIVE'),
		reset: businesses.reset,
	};
}

module.exports = { createBusinesses, BUSINESS_STATUSES: STATUSES };
