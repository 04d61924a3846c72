'use strict';

/**
 * Tax residencies of users (Upvest's API reference, tax-residencies): POST replaces the whole
 * set (PENDING, then ACTIVE after activationDelayMs; Upvest documents no event for it), GET
 * answers it. The live state is an object: user id -> the answer.
 */

const { validateTaxResidenciesBody } = require('../validation/taxResidencies');
const { contextOf } = require('../validation/schema');
const { problem, jsonResponse } = require('../http/wire');
const { createLifecycle, timestampAfter } = require('./lifecycle');

const READ = ['taxes:read', 'taxes:admin'];
const ADMIN = ['taxes:admin'];
const PATH = '/users/{user_id}/tax_residencies';

/**
 * @param deps {{ byUser: object (live state: user id -> tax residencies), users: the user store,
 *                getConfig, scheduler, guard }}
 */
function createTaxResidencies({ byUser, users, getConfig, scheduler, guard }) {
	const lifecycle = createLifecycle({ scheduler, emit: () => {} }, {});

	function set(ctx, body) {
		const user = users.find(ctx.params.user_id);
		if (user.response) return user.response;
		const valid = validateTaxResidenciesBody(body, contextOf(getConfig()));
		if (!valid.ok) return problem(400, valid.detail);
		const previous = byUser[user.item.id];
		const now = new Date().toISOString();
		// A new object each time: the activation timer of a replaced set moves only that one.
		const residencies = {
			created_at: previous ? previous.created_at : now,
			updated_at: previous ? timestampAfter(previous.updated_at) : now,
			tax_residencies: valid.value.tax_residencies,
			status: 'PENDING',
		};
		byUser[user.item.id] = residencies;
		lifecycle.later(getConfig().activationDelayMs, residencies, 'PENDING', 'ACTIVE');
		return jsonResponse(200, residencies);
	}

	function get(ctx) {
		const user = users.find(ctx.params.user_id);
		if (user.response) return user.response;
		const residencies = byUser[user.item.id];
		if (!residencies)
			return problem(404, `Tax residencies of user ${ctx.params.user_id} not found`);
		return jsonResponse(200, residencies);
	}

	const routes = [
		{
			method: 'POST',
			path: PATH,
			handler: (ctx) =>
				guard.write(ctx, ADMIN, { idempotencyKey: 'required' }, (body) => set(ctx, body)),
		},
		{ method: 'GET', path: PATH, handler: (ctx) => guard.call(ctx, READ, () => get(ctx)) },
	];

	return {
		routes,
		reset() {
			for (const id of Object.keys(byUser)) delete byUser[id];
		},
	};
}

module.exports = { createTaxResidencies };
