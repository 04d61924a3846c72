'use strict';

/**
 * Body validation of webhook subscriptions (POST and PATCH /webhooks). Pure functions that never
 * throw: { ok: true, value } or { ok: false, field, detail } with `detail` naming the field.
 */

const { invalid, checkObject } = require('../validation');
const { WEBHOOK_CATEGORIES } = require('./categories');

const CREATE_FIELDS = ['title', 'url', 'type', 'exclude_type', 'config'];
const UPDATE_FIELDS = [...CREATE_FIELDS, 'enabled'];
const CONFIG_FIELDS = ['delay', 'max_package_size'];
/** 1s to 30s (Upvest's API specification; the older pattern with minutes is gone). */
const DELAY_RE = /^([1-9]|[12][0-9]|30)s$/;
const TITLE_RE = /^[a-zA-Z0-9 ()\[\]{}.-]{1,32}$/;
const EXCLUDABLE = WEBHOOK_CATEGORIES.filter((category) => category !== 'ALL');
const MAX_URL = 1000;
const PACKAGE_SIZE = [100, 1048576];

const isIpLiteral = (host) => /^\[.*\]$/.test(host) || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);

function checkTitle(title) {
	if (typeof title !== 'string' || !TITLE_RE.test(title))
		return invalid(
			'title',
			'title must be 1 to 32 characters: letters, digits, spaces and ()[]{}.-',
		);
	return null;
}

/** Any http(s) URL; with `strict`, what Upvest accepts: https with a DNS host name. */
function checkUrl(url, strict) {
	if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL)
		return invalid('url', `url must be a string of 1 to ${MAX_URL} characters`);
	let parsed;
	try {
		parsed = new URL(url);
	} catch {
		return invalid('url', 'url must be an absolute URL');
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
		return invalid('url', 'url must be an http or https URL');
	if (strict && (parsed.protocol !== 'https:' || isIpLiteral(parsed.hostname)))
		return invalid('url', 'url must be an https URL with a DNS host name (no IP address)');
	return null;
}

function checkType(type) {
	if (!Array.isArray(type) || type.length === 0)
		return invalid('type', 'type must be a non-empty array of event categories');
	for (const category of type) {
		if (typeof category !== 'string' || !WEBHOOK_CATEGORIES.includes(category))
			return invalid('type', `type must hold only ${WEBHOOK_CATEGORIES.join(', ')}`);
	}
	return null;
}

/** Distinct categories other than ALL; they only matter when `type` holds ALL. */
function checkExcludeType(excluded) {
	const detail = `exclude_type must be an array of distinct categories: ${EXCLUDABLE.join(', ')}`;
	if (!Array.isArray(excluded)) return invalid('exclude_type', detail);
	const known = excluded.every((c) => typeof c === 'string' && EXCLUDABLE.includes(c));
	if (!known || new Set(excluded).size !== excluded.length) return invalid('exclude_type', detail);
	return null;
}

function checkConfig(config) {
	if (config === null || typeof config !== 'object' || Array.isArray(config))
		return invalid('config', 'config must be an object');
	const unknown = Object.keys(config).find((key) => !CONFIG_FIELDS.includes(key));
	if (unknown !== undefined) return invalid('config', `Unknown field: config.${unknown}`);
	if (
		config.delay !== undefined &&
		(typeof config.delay !== 'string' || !DELAY_RE.test(config.delay))
	)
		return invalid('config.delay', 'config.delay must be 1s to 30s (^([1-9]|[12][0-9]|30)s$)');
	const size = config.max_package_size;
	if (
		size !== undefined &&
		(!Number.isInteger(size) || size < PACKAGE_SIZE[0] || size > PACKAGE_SIZE[1])
	)
		return invalid(
			'config.max_package_size',
			`config.max_package_size must be an integer from ${PACKAGE_SIZE[0]} to ${PACKAGE_SIZE[1]}`,
		);
	return null;
}

const CHECKS = {
	title: checkTitle,
	url: checkUrl,
	type: checkType,
	exclude_type: checkExcludeType,
	config: checkConfig,
	enabled: (v) => (typeof v === 'boolean' ? null : invalid('enabled', 'enabled must be a boolean')),
};

function validate(body, allowed, required, strict) {
	const shape = checkObject(body, allowed);
	if (shape) return shape;
	for (const field of required) {
		if (body[field] === undefined || body[field] === null)
			return invalid(field, `${field} is required`);
	}
	for (const field of allowed) {
		if (body[field] === undefined) continue;
		const error = CHECKS[field](body[field], strict);
		if (error) return error;
	}
	const value = {};
	for (const field of allowed) if (body[field] !== undefined) value[field] = body[field];
	return { ok: true, value };
}

/** POST /webhooks: { title, url, type, exclude_type?, config? } */
const validateWebhookCreate = (body, { strict = false } = {}) =>
	validate(body, CREATE_FIELDS, ['title', 'url', 'type'], strict);

/** PATCH /webhooks/{id}: any of { title, url, type, exclude_type, config, enabled } */
const validateWebhookUpdate = (body, { strict = false } = {}) =>
	validate(body, UPDATE_FIELDS, [], strict);

module.exports = { validateWebhookCreate, validateWebhookUpdate };
