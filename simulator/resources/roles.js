'use strict';

/**
 * Roles: POST/GET/DELETE /roles, the role list with its user_id and entity_id filters, the
 * status lifecycle (PENDING → ACTIVE, DEACTIVATED for business roles: Upvest's API reference,
 * roles/role_deactivation) and seeding. A role of a user the simulator knows waits for that user
 * to be ACTIVE (resources/onboarding.js).
 */

const crypto = require('node:crypto');
const { validateRoleBody, ROLE_TYPES_BY_ENTITY } = require('../validation');
const { problem, jsonResponse, emptyResponse } = require('../http/wire');
const { listEndpoint, uuidFilter } = require('./list');
const { getByIdRoute } = require('./lookup');
const { createStore } = require('./store');
const { createLifecycle, createdNow } = require('./lifecycle');
const { seedClock, optionalUuid, optionalEnum } = require('./seed');
const { ROLE_LIST_FILTERS } = require('../assumptions');

const READ = ['roles:read', 'roles:admin'];
const ADMIN = ['roles:admin'];
const SORTS = ['created_at', 'updated_at'];
const WHERE = { param: 'role_id', noun: 'Role' };
const STATUSES = ['PENDING', 'ACTIVE', 'DEACTIVATED'];
const EVENTS = { ACTIVE: 'ROLE.ACTIVATED', DEACTIVATED: 'ROLE.DEACTIVATED' };
/** Upvest publishes no detail for the 403 on an account-group role; this is the generic one. */
const FORBIDDEN_DETAIL = 'The caller is not allowed to take the requested action.';
const FILTERS = Object.fromEntries(ROLE_LIST_FILTERS.map((name) => [name, uuidFilter(name)]));

/**
 * @param deps {{ items: object[] (live state array), accountGroups, getConfig, scheduler, emit,
 *                guard, links: the onboarding rules (userReady, roleMoved) }}
 */
function createRoles({ items, accountGroups, getConfig, scheduler, emit, guard, links }) {
	const roles = createStore(items, WHERE);
	// links are filled in once every resource exists: look the rule up when it is needed.
	const onMove = (resource, status) => links.roleMoved(resource, status);
	const lifecycle = createLifecycle({ scheduler, emit, onMove }, EVENTS);

	const store = (v, times, status) =>
		roles.add({ id: crypto.randomUUID(), ...times, ...v, status });

	function create(input) {
		const valid = validateRoleBody(input);
		if (!valid.ok) return problem(400, valid.detail);
		const v = valid.value;
		const onGroup = v.entity_type === 'ACCOUNT_GROUP';
		if (getConfig().checkReferences && onGroup && !accountGroups.has(v.entity_id)) {
			return problem(404, `Account group ${v.entity_id} not found`);
		}
		const role = store(v, createdNow(), 'PENDING');
		if (onGroup && v.role_type === 'GUARDIAN') accountGroups.addGuardian(v.entity_id, v.user_id);
		emit('ROLE.CREATED', role);
		// A known user that is not ACTIVE yet activates the role itself (activateOf).
		if (links.userReady(v.user_id))
			lifecycle.later(getConfig().activationDelayMs, role, 'PENDING', 'ACTIVE');
		return jsonResponse(200, role);
	}

	/** Business roles only; final and idempotent: the event comes with the first deactivation. */
	function deactivate(id) {
		const found = roles.find(id);
		if (found.response) return found.response;
		const role = found.item;
		if (role.entity_type !== 'BUSINESS') return problem(403, FORBIDDEN_DETAIL);
		if (role.status !== 'DEACTIVATED') lifecycle.move(role, 'DEACTIVATED');
		return emptyResponse(202);
	}

	/** The user is ACTIVE now: its PENDING roles become ACTIVE. */
	function activateOf(userId) {
		for (const role of items) {
			if (role.status === 'PENDING' && role.user_id === userId) lifecycle.move(role, 'ACTIVE');
		}
	}

	/** The role types with an ACTIVE role on this business. */
	const activeTypesOn = (businessId) =>
		new Set(
			items
				.filter((role) => role.entity_id === businessId && role.status === 'ACTIVE')
				.filter((role) => role.entity_type === 'BUSINESS')
				.map((role) => role.role_type),
		);

	function list(ctx) {
		const select = (filters) =>
			items.filter((role) =>
				Object.entries(filters).every(([name, value]) => role[name] === value.toLowerCase()),
			);
		return listEndpoint(
			ctx.query,
			{ sorts: SORTS, filters: FILTERS },
			select,
			getConfig().maxPageSize,
		);
	}

	const routes = [
		{
			method: 'POST',
			path: '/roles',
			handler: (ctx) => guard.write(ctx, ADMIN, { idempotencyKey: 'required' }, create),
		},
		{ method: 'GET', path: '/roles', handler: (ctx) => guard.call(ctx, READ, () => list(ctx)) },
		getByIdRoute({ path: '/roles/{role_id}', ...WHERE, scopes: READ, guard, byId: roles.byId }),
		{
			method: 'DELETE',
			path: '/roles/{role_id}',
			handler: (ctx) => guard.call(ctx, ADMIN, () => deactivate(ctx.params.role_id)),
		},
	];

	/** POST /__simulator/seed { roles: { count, userId?, entityType?, entityId?, roleType?, status?, createdFrom?, spacingMs? } } */
	function seed(spec) {
		const where = 'roles';
		const clock = seedClock(spec, where, [
			'userId',
			'entityType',
			'entityId',
			'roleType',
			'status',
		]);
		const userId = optionalUuid(spec, 'userId', where);
		const entityId = optionalUuid(spec, 'entityId', where);
		const entityType =
			optionalEnum(spec, 'entityType', Object.keys(ROLE_TYPES_BY_ENTITY), where) ?? 'ACCOUNT_GROUP';
		const roleTypes = ROLE_TYPES_BY_ENTITY[entityType];
		const roleType = optionalEnum(spec, 'roleType', roleTypes, where) ?? roleTypes[0];
		const status = optionalEnum(spec, 'status', STATUSES, where) ?? 'ACTIVE';
		const ids = [];
		for (let i = 0; i < spec.count; i++) {
			const fields = {
				user_id: userId ?? crypto.randomUUID(),
				entity_type: entityType,
				entity_id: entityId ?? crypto.randomUUID(),
				role_type: roleType,
			};
			ids.push(store(fields, clock(i), status).id);
		}
		return ids;
	}

	return {
		routes,
		seed,
		setStatus: (id, status) => roles.setStatus(id, status, STATUSES, lifecycle),
		activateOf,
		activeTypesOn,
		reset: roles.reset,
	};
}

module.exports = { createRoles, ROLE_STATUSES: STATUSES };
