'use strict';

/**
 * Request body validation for the simulated endpoints. Pure functions that
 * never throw: each returns { ok: true, value } or { ok: false, field, detail },
 * where `detail` names the offending field the way a 400 response should.
 */

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SECURITIES_ACCOUNT_NUMBER_RE = /^[0-9]{9}$/;

const USER_ACCOUNT_GROUP_TYPES = ['PERSONAL', 'LEGAL_ENTITY', 'FRENCH_PEA', 'ISA', 'CHILD'];
const BUSINESS_ACCOUNT_GROUP_TYPES = ['BUSINESS'];
const ACCOUNT_GROUP_FIELDS = ['user_id', 'business_id', 'type', 'securities_account_number'];

const ROLE_FIELDS = ['user_id', 'entity_type', 'entity_id', 'role_type', 'custody_type'];
const ROLE_TYPES_BY_ENTITY = {
	ACCOUNT_GROUP: ['GUARDIAN', 'CHILD'],
	BUSINESS: [
		'LEGAL_REPRESENTATIVE',
		'AUTHORISED_SIGNATORY',
		'ULTIMATE_BENEFICIAL_OWNER',
		'CONTRACTING_EXECUTIVE',
		'TRADER',
		'SOLE_TRADER',
	],
};
const CUSTODY_TYPES = ['SOLE_CUSTODY', 'JOINT_CUSTODY'];

const isUuid = (v) => typeof v === 'string' && UUID_RE.test(v);
const invalid = (field, detail) => ({ ok: false, field, detail });
const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);

function checkObject(body, allowed) {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		return invalid('body', 'Request body must be a JSON object');
	}
	for (const key of Object.keys(body)) {
		if (!allowed.includes(key)) return invalid(key, `Unknown field: ${key}`);
	}
	return null;
}

function checkUuidField(body, field) {
	if (!has(body, field) || body[field] === null || body[field] === undefined) {
		return invalid(field, `${field} is required`);
	}
	if (!isUuid(body[field])) return invalid(field, `${field} must be a UUID`);
	return null;
}

function checkEnumField(body, field, allowed, context = '') {
	if (!has(body, field) || body[field] === null || body[field] === undefined) {
		return invalid(field, `${field} is required`);
	}
	if (typeof body[field] !== 'string' || !allowed.includes(body[field])) {
		return invalid(field, `${field} must be one of ${allowed.join(', ')}${context}`);
	}
	return null;
}

/**
 * POST /account_groups:
 *   { user_id, type: PERSONAL|LEGAL_ENTITY|FRENCH_PEA|ISA|CHILD, securities_account_number? }
 *   { business_id, type: BUSINESS, securities_account_number? }
 */
function validateAccountGroupBody(body) {
	const shape = checkObject(body, ACCOUNT_GROUP_FIELDS);
	if (shape) return shape;

	const hasUser = has(body, 'user_id');
	const hasBusiness = has(body, 'business_id');
	if (hasUser === hasBusiness) {
		return invalid('user_id', 'Exactly one of user_id or business_id must be given');
	}
	const idField = hasUser ? 'user_id' : 'business_id';
	const error =
		checkUuidField(body, idField) ||
		checkEnumField(
			body,
			'type',
			hasUser ? USER_ACCOUNT_GROUP_TYPES : BUSINESS_ACCOUNT_GROUP_TYPES,
			hasUser ? ' for a user account group' : ' for a business account group',
		);
	if (error) return error;

	if (has(body, 'securities_account_number')) {
		const san = body.securities_account_number;
		if (typeof san !== 'string' || !SECURITIES_ACCOUNT_NUMBER_RE.test(san)) {
			return invalid(
				'securities_account_number',
				'securities_account_number must be a string of 9 digits',
			);
		}
	}

	const value = { [idField]: body[idField].toLowerCase(), type: body.type };
	if (has(body, 'securities_account_number'))
		value.securities_account_number = body.securities_account_number;
	return { ok: true, value };
}

/**
 * POST /roles: { user_id, entity_type, entity_id, role_type, custody_type? }
 * custody_type exists only for ACCOUNT_GROUP GUARDIAN roles.
 */
function validateRoleBody(body) {
	const shape = checkObject(body, ROLE_FIELDS);
	if (shape) return shape;

	const error =
		checkUuidField(body, 'user_id') ||
		checkEnumField(body, 'entity_type', Object.keys(ROLE_TYPES_BY_ENTITY)) ||
		checkUuidField(body, 'entity_id');
	if (error) return error;

	const entityType = body.entity_type;
	const roleError = checkEnumField(
		body,
		'role_type',
		ROLE_TYPES_BY_ENTITY[entityType],
		` for entity_type ${entityType}`,
	);
	if (roleError) return roleError;

	const value = {
		user_id: body.user_id.toLowerCase(),
		entity_type: entityType,
		entity_id: body.entity_id.toLowerCase(),
		role_type: body.role_type,
	};
	if (has(body, 'custody_type')) {
		if (body.role_type !== 'GUARDIAN') {
			return invalid('custody_type', 'custody_type is only allowed for role_type GUARDIAN');
		}
		if (typeof body.custody_type !== 'string' || !CUSTODY_TYPES.includes(body.custody_type)) {
			return invalid('custody_type', `custody_type must be one of ${CUSTODY_TYPES.join(', ')}`);
		}
		value.custody_type = body.custody_type;
	}
	return { ok: true, value };
}

module.exports = {
	validateAccountGroupBody,
	validateRoleBody,
	isUuid,
	invalid,
	checkObject,
	USER_ACCOUNT_GROUP_TYPES,
	BUSINESS_ACCOUNT_GROUP_TYPES,
	ROLE_TYPES_BY_ENTITY,
	CUSTODY_TYPES,
};
