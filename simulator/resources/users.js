'use strict';

/**
 * Users (Upvest's API reference, users): POST/GET /users, GET and DELETE /users/{user_id}, the
 * status lifecycle (INACTIVE → ACTIVE when onboarded, OFFBOARDING → OFFBOARDED) and seeding.
 * When a user is onboarded is resources/onboarding.js's business.
 */

const crypto = require('node:crypto');
const { validateUserBody } = require('../validation/users');
const { contextOf } = require('../validation/schema');
const { problem, jsonResponse, emptyResponse } = require('../http/wire');
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

const READ = ['users:read', 'users:admin'];
const ADMIN = ['users:admin'];
const SORTS = ['created_at', 'updated_at'];
const WHERE = { param: 'user_id', noun: 'User' };
const STATUSES = ONBOARDING_STATUSES;
const EVENTS = onboardingEvents('USER');

/** Personal data of seeded users: obviously fake, the same for each but the number. */
function seededUser(number) {
	const n = String(number).padStart(4, '0');
	return {
		first_name: 'Seeded',
		last_name: `User ${n}`,
		birth_date: '1990-01-01',
		nationalities: ['DE'],
		address: {
			address_line1: `Seed Street ${number}`,
			postcode: '10115',
			city: 'Seedville',
			country: 'DE',
		},
		email: `seeded.user.${n}@example.invalid`,
	};
}

/**
 * @param deps {{ items: object[] (live state array), getConfig, scheduler, emit, guard,
 *                licenceModelOf: (clientId) => 'BYOL'|'TOL'|undefined,
 *                links: the onboarding rules (userMoved, userChanged, hasOpenGroups) }}
 */
function createUsers({ items, getConfig, scheduler, emit, guard, licenceModelOf, links }) {
	const users = createStore(items, WHERE);
	const variants = new Map(); // user id -> 'BYOL' | 'TOL'
	const onMove = (user, status) => {
		if (status === 'OFFBOARDING') finishOffboarding(user);
		links.userMoved(user, status);
	};
	const lifecycle = createLifecycle({ scheduler, emit, onMove }, EVENTS);

	function store(fields, times, status, variant) {
		const user = users.add({ id: crypto.randomUUID(), ...times, ...fields, status });
		variants.set(user.id, variant);
		return user;
	}

	function create(ctx, body) {
		const licenceModel = licenceModelOf(ctx.clientId);
		const valid = validateUserBody(body, licenceModel, contextOf(getConfig()));
		if (!valid.ok) return problem(400, valid.detail);
		const user = store(valid.value, createdNow(), 'INACTIVE', valid.variant);
		emit('USER.CREATED', user);
		const response = jsonResponse(200, user); // the user as created
		links.userChanged(user.id); // nothing may be required of it
		return response;
	}

	/**
	 * OFFBOARDING, then OFFBOARDED closeDelayMs after none of its groups is open any more (now, or
	 * when the last one closes: links call this again). A repeat changes nothing.
	 */
	function finishOffboarding(user) {
		if (user.status !== 'OFFBOARDING' || links.hasOpenGroups(user.id)) return;
		lifecycle.later(getConfig().closeDelayMs, user, 'OFFBOARDING', 'OFFBOARDED');
	}

	function offboard(id) {
		const found = users.find(id);
		if (found.response) return found.response;
		const user = found.item;
		if (user.status !== 'OFFBOARDING' && user.status !== 'OFFBOARDED')
			lifecycle.move(user, 'OFFBOARDING');
		return emptyResponse(202);
	}

	const routes = [
		{
			method: 'POST',
			path: '/users',
			handler: (ctx) =>
				guard.write(ctx, ADMIN, { idempotencyKey: 'required' }, (body) => create(ctx, body)),
		},
		listRoute({ path: '/users', scopes: READ, guard, getConfig, sorts: SORTS, items }),
		getByIdRoute({ path: '/users/{user_id}', ...WHERE, scopes: READ, guard, byId: users.byId }),
		{
			method: 'DELETE',
			path: '/users/{user_id}',
			handler: (ctx) => guard.call(ctx, ADMIN, () => offboard(ctx.params.user_id)),
		},
	];

	/** POST /__simulator/seed { users: { count, status?, createdFrom?, spacingMs? } } (BYOL users) */
	function seed(spec) {
		const clock = seedClock(spec, 'users', ['status']);
		const status = optionalEnum(spec, 'status', STATUSES, 'users') ?? 'ACTIVE';
		const ids = [];
		for (let i = 0; i < spec.count; i++) {
			ids.push(store(seededUser(items.length + 1), clock(i), status, 'BYOL').id);
		}
		return ids;
	}

	return {
		routes,
		seed,
		setStatus: (id, status) => users.setStatus(id, status, STATUSES, lifecycle),
		get: users.get,
		find: users.find,
		variantOf: (id) => variants.get(id),
		/** Moves the user to ACTIVE now (its onboarding is complete). */
		activate: (user) => lifecycle.move(user, 'ACTIVE'),
		finishOffboarding,
		reset() {
			users.reset();
			variants.clear();
		},
	};
}

module.exports = { createUsers, USER_STATUSES: STATUSES };
