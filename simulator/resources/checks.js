'use strict';

/**
 * Checks of users (Upvest's API reference, user-checks: KYC, POR, INSTRUMENT_FIT) and of
 * businesses (business-checks: KYB): submit, list, get, and the decision. A check is submitted
 * IN_PROGRESS and decided checkDelayMs later as checkOutcome says; a PASSED one lets the onboarding
 * rules look at its owner again. Upvest documents no idempotency key for these calls: a repeat
 * submits another check. Checks have no created_at/updated_at; the store keeps submission order.
 */

const crypto = require('node:crypto');
const { validateUserCheckBody, validateBusinessCheckBody } = require('../validation/checks');
const { contextOf } = require('../validation/schema');
const { problem, jsonResponse } = require('../http/wire');
const { parseQuery, oneOfParam } = require('./list');
const { createLifecycle } = require('./lifecycle');
const { createStore } = require('./store');

const READ = ['checks:read', 'checks:admin'];
const ADMIN = ['checks:admin'];
const WHERE = { param: 'check_id', noun: 'Check' };
const STATUSES = ['IN_PROGRESS', 'PASSED', 'FAILED'];
/** The check types GET /users/{user_id}/checks?type= takes (some are not simulated: no data). */
const USER_CHECK_FILTER_TYPES = [
	'KYC',
	'INSTRUMENT_FIT',
	'POR',
	'COMPLIANCE',
	'GUARDIAN',
	'USER_SELF_ASSESSMENT',
	'US_WITHHOLDING_TAX_STATUS',
];

/** What differs between user and business checks. */
const KINDS = {
	user: {
		owner: 'user_id',
		path: '/users/{user_id}/checks',
		events: 'USER_CHECK',
		validate: validateUserCheckBody,
		extra: {},
		query: {
			list_history: oneOfParam('list_history', ['true', 'false']),
			type: oneOfParam('type', USER_CHECK_FILTER_TYPES),
		},
	},
	business: {
		owner: 'business_id',
		path: '/businesses/{business_id}/checks',
		events: 'BUSINESS_CHECK',
		validate: validateBusinessCheckBody,
		extra: { document_type: 'KYB_DOCUMENTS' },
		query: {},
	},
};

/** The newest check of each type, in the order of their submission. */
function latestPerType(checks) {
	const latest = new Map();
	for (const check of checks) {
		latest.delete(check.type);
		latest.set(check.type, check);
	}
	return [...latest.values()];
}

/**
 * @param deps {{ kind: 'user'|'business', items: object[] (live state array), owners: the store
 *                of users or businesses, getConfig, scheduler, emit, guard,
 *                links: the onboarding rules (checkMoved) }}
 */
function createChecks({ kind, items, owners, getConfig, scheduler, emit, guard, links }) {
	const k = KINDS[kind];
	const checks = createStore(items, WHERE);
	const events = { PASSED: `${k.events}.PASSED`, FAILED: `${k.events}.FAILED` };
	const onMove = (check, status) => links.checkMoved(kind, check, status);
	const lifecycle = createLifecycle({ scheduler, emit, onMove, timestamps: false }, events);

	const ofOwner = (ownerId) => items.filter((check) => check[k.owner] === ownerId);

	function submit(ownerId, body) {
		const owner = owners.find(ownerId);
		if (owner.response) return owner.response;
		const valid = k.validate(body, contextOf(getConfig()));
		if (!valid.ok) return problem(400, valid.detail);
		const { type, ...fields } = valid.value;
		const check = checks.add({
			id: crypto.randomUUID(),
			[k.owner]: owner.item.id,
			type,
			...fields,
			...k.extra,
			status: 'IN_PROGRESS',
		});
		emit(`${k.events}.CREATED`, check);
		const { checkDelayMs, checkOutcome } = getConfig();
		lifecycle.later(checkDelayMs, check, 'IN_PROGRESS', checkOutcome);
		return jsonResponse(202, { id: check.id });
	}

	function list(ctx) {
		const owner = owners.find(ctx.params[k.owner]);
		if (owner.response) return owner.response;
		const parsed = parseQuery(ctx.query, k.query);
		if (!parsed.ok) return parsed.response;
		const { list_history: history, type } = parsed.value;
		let data = ofOwner(owner.item.id);
		if (kind === 'user' && history !== 'true') data = latestPerType(data);
		if (type !== undefined) data = data.filter((check) => check.type === type);
		return jsonResponse(200, { data });
	}

	function get(ctx) {
		const owner = owners.find(ctx.params[k.owner]);
		if (owner.response) return owner.response;
		const found = checks.find(ctx.params.check_id);
		if (found.response) return found.response;
		if (found.item[k.owner] !== owner.item.id)
			return problem(404, `${WHERE.noun} ${ctx.params.check_id} not found`);
		return jsonResponse(200, found.item);
	}

	const routes = [
		{
			method: 'POST',
			path: k.path,
			handler: (ctx) =>
				guard.write(ctx, ADMIN, { idempotencyKey: 'ignored' }, (body) =>
					submit(ctx.params[k.owner], body),
				),
		},
		{ method: 'GET', path: k.path, handler: (ctx) => guard.call(ctx, READ, () => list(ctx)) },
		{
			method: 'GET',
			path: `${k.path}/{check_id}`,
			handler: (ctx) => guard.call(ctx, READ, () => get(ctx)),
		},
	];

	return {
		routes,
		get: checks.get,
		/** The newest check of each type of this owner: Map type -> check. */
		latestByType: (ownerId) =>
			new Map(latestPerType(ofOwner(ownerId)).map((check) => [check.type, check])),
		setStatus: (id, status) => checks.setStatus(id, status, STATUSES, lifecycle),
		reset: checks.reset,
	};
}

module.exports = { createChecks, CHECK_STATUSES: STATUSES };
