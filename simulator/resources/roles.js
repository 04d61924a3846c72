'use strict';

/**
 * Roles: POST/GET/DELETE /roles, the role list with its user_id and entity_id filters, the
 * status lifecycle (PENDING → ACTIVE, DEACTIVATED for business roles: Upvest's API reference,
 * roles/role_deactivation) and seeding.
 */

const crypto = require('node:crypto');
const { validateRoleBody, isUuid, ROLE_TYPES_BY_ENTITY } = require('../validation');
const { problem, jsonResponse, emptyResponse, notFound } = require('../http/wire');
const { listEndpoint, uuidFilter } = require('./list');
const { lookup, getByIdRoute } = require('./lookup');
const { createLifecycle } = require('./lifecycle');
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
 * @param deps {{ items: object[] (live state array), accountGroups, getConfig, scheduler, emit, guard }}
 */
function createRoles({ items, accountGroups, getConfig, scheduler, emit, guard }) {
	const byId = new Map();
	const lifecycle = createLifecycle({ scheduler, emit }, EVENTS);

	function store(v, times, status) {
		const role = { id: crypto.randomUUID(), ...times, ...v, status };
		items.push(role);
		byId.set(role.id, role);
		return role;
	}

	function create(input) {
		const valid = validateRoleBody(input);
		if (!valid.ok) return problem(400, valid.detail);
		const v = valid.value;
		const onGroup = v.entity_type === 'ACCOUNT_GROUP';
		if (getConfig().checkReferences && onGroup && !accountGroups.has(v.entity_id)) {
			return problem(404, `Account group ${v.entity_id} not found`);
		}
		const now = new Date().toISOString();
		const role = store(v, { created_at: now, updated_at: now }, 'PENDING');
		if (onGroup && v.role_type === 'GUARDIAN') accountGroups.addGuardian(v.entity_id, v.user_id);
		emit('ROLE.CREATED', role);
		lifecycle.later(getConfig().activationDelayMs, role, 'PENDING', 'ACTIVE');
		return jsonResponse(200, role);
	}

	/** Business roles only; final and idempotent: the event comes with the first deactivation. */
	function deactivate(id) {
		const found = lookup(byId, id, WHERE);
		if (found.response) return found.response;
		const role = found.item;
		if (role.entity_type !== 'BUSINESS') return problem(403, FORBIDDEN_DETAIL);
		if (role.status !== 'DEACTIVATED') lifecycle.move(role, 'DEACTIVATED');
		return emptyResponse(202);
	}

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
		getByIdRoute({ path: '/roles/{role_id}', ...WHERE, scopes: READ, guard, byId }),
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

	function setStatus(id, status) {
		if (!STATUSES.includes(status))
			throw new TypeError(`status must be one of ${STATUSES.join(', ')}`);
		const role = isUuid(id) ? byId.get(id.toLowerCase()) : undefined;
		if (!role) throw notFound(`Role ${id} not found`);
		lifecycle.move(role, status);
		return role;
	}

	return {
		routes,
		seed,
		setStatus,
		reset() {
			items.length = 0;
			byId.clear();
		},
	};
}

module.exports = { createRoles, ROLE_STATUSES: STATUSES };
