'use strict';

/**
 * The simulator's settings: defaults and validation of changes (startSimulator options,
 * setConfig and POST /__simulator/config all go through validateConfig).
 */

const { USER_CHECK_TYPES } = require('./validation/checks');

const DEFAULT_CONFIG = {
	latencyMs: 0,
	tokenTtlSeconds: 1799, // what the real sandbox returns
	checkReferences: false,
	clockSkewSeconds: 30,
	maxSignatureAgeSeconds: 300,
	maxRecords: 100000,
	activationDelayMs: 1000,
	closeDelayMs: 1000,
	maxPageSize: 1000,
	strictWebhookUrls: false,
	webhookBatchDelayMs: 50,
	webhookRetryScale: 1,
	resignRetries: true,
	webhookTimeoutMs: 10000,
	checkDelayMs: 1000,
	checkOutcome: 'PASSED',
	requiredUserChecks: Object.freeze({
		BYOL: Object.freeze(['KYC']),
		TOL: Object.freeze(['KYC', 'INSTRUMENT_FIT']),
	}),
};

/** The licence models of users, and how checks are decided. */
const LICENCE_MODELS = ['BYOL', 'TOL'];
const CHECK_OUTCOMES = ['PASSED', 'FAILED'];

/** { BYOL: [types], TOL: [types] }, each a list of distinct user check types. */
function isRequiredChecks(value) {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
	const keys = Object.keys(value);
	if (keys.length !== LICENCE_MODELS.length || !LICENCE_MODELS.every((m) => keys.includes(m)))
		return false;
	return LICENCE_MODELS.every(
		(model) =>
			Array.isArray(value[model]) &&
			value[model].every((type) => USER_CHECK_TYPES.includes(type)) &&
			new Set(value[model]).size === value[model].length,
	);
}

const nonNegativeInteger = (value) => Number.isInteger(value) && value >= 0;
const positiveInteger = (value) => Number.isInteger(value) && value >= 1;

const RULES = {
	latencyMs: [nonNegativeInteger, 'a non-negative integer'],
	clockSkewSeconds: [nonNegativeInteger, 'a non-negative integer'],
	tokenTtlSeconds: [positiveInteger, 'a positive integer'],
	maxSignatureAgeSeconds: [positiveInteger, 'a positive integer'],
	maxRecords: [positiveInteger, 'a positive integer'],
	maxPageSize: [positiveInteger, 'a positive integer'],
	checkReferences: [(v) => typeof v === 'boolean', 'a boolean'],
	activationDelayMs: [(v) => v === null || nonNegativeInteger(v), 'a non-negative integer or null'],
	closeDelayMs: [(v) => v === null || nonNegativeInteger(v), 'a non-negative integer or null'],
	strictWebhookUrls: [(v) => typeof v === 'boolean', 'a boolean'],
	resignRetries: [(v) => typeof v === 'boolean', 'a boolean'],
	webhookBatchDelayMs: [nonNegativeInteger, 'a non-negative integer'],
	webhookTimeoutMs: [positiveInteger, 'a positive integer'],
	webhookRetryScale: [(v) => typeof v === 'number' && v > 0 && v <= 1000, 'a number above 0'],
	checkDelayMs: [(v) => v === null || nonNegativeInteger(v), 'a non-negative integer or null'],
	checkOutcome: [(v) => CHECK_OUTCOMES.includes(v), `one of ${CHECK_OUTCOMES.join(', ')}`],
	requiredUserChecks: [
		isRequiredChecks,
		`an object { BYOL: [...], TOL: [...] } of distinct check types (${USER_CHECK_TYPES.join(', ')})`,
	],
};

/** Returns the config with `changes` applied; throws TypeError naming the first bad option. */
function validateConfig(current, changes = {}) {
	if (changes === null || typeof changes !== 'object' || Array.isArray(changes))
		throw new TypeError('config must be an object');
	const next = { ...current };
	for (const [key, value] of Object.entries(changes)) {
		if (value === undefined) continue;
		const rule = RULES[key];
		if (!rule) throw new TypeError(`unknown config option ${key}`);
		if (!rule[0](value)) throw new TypeError(`${key} must be ${rule[1]}`);
		next[key] =
			key === 'requiredUserChecks' ? { BYOL: [...value.BYOL], TOL: [...value.TOL] } : value;
	}
	return next;
}

module.exports = { DEFAULT_CONFIG, validateConfig, LICENCE_MODELS };
