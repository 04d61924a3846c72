'use strict';

/** One line of the package check: `{ ok: true, what }`, or `{ ok: false, what, detail }`. */
function check(ok, what, detail) {
	return ok ? { ok: true, what } : { ok: false, what, detail: String(detail || 'missing') };
}

module.exports = { check };
