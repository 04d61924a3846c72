'use strict';

/**
 * Token requests per execution: one for a credential without a token, none when n8n stored a
 * valid one in an earlier execution. Counted from the simulator's records of every measured
 * Upvest execution of this bench run; when no earlier measurement executed a workflow twice, this
 * one runs its own pair (a fresh credential, then the same workflow again).
 */

const { planCreate, runCreate } = require('./create-runs');
const { fmt } = require('./stats');

function plan(ctx) {
	const n = ctx.options.quick ? 10 : 100;
	return planCreate(ctx, { n, label: `tokens, ${n} items` });
}

async function run(ctx, spec) {
	if (!ctx.executions.some((e) => e.expectTokens === 0)) {
		await runCreate(ctx, spec);
		await runCreate(ctx, spec, { repeat: true, label: `${spec.label}, again (stored token)` });
	}
	const rows = ctx.executions.map((e) => ({
		...e,
		fresh: e.expectTokens !== 0,
		met: e.tokenRequests === e.expectTokens,
	}));
	const fresh = rows.filter((r) => r.fresh);
	const stored = rows.filter((r) => !r.fresh);
	const counts = (list) => [...new Set(list.map((r) => r.tokenRequests))].join(', ') || '–';
	const sizes = rows.map((r) => r.n).filter((n) => n !== undefined);
	const [least, most] = [Math.min(...sizes), Math.max(...sizes)];
	const range = least === most ? fmt.int(least) : `${fmt.int(least)} to ${fmt.int(most)}`;
	return {
		rows,
		figures: { executions: rows.length, allMet: rows.every((r) => r.met) },
		summary: [
			{
				measure: `Token requests per execution (${rows.length} executions, ${range} items, any concurrency)`,
				node: `${counts(fresh)}; ${counts(stored)} with a stored valid token`,
				baseline: '',
				ratio: '',
				target: `1 and 0 ${fmt.verdict(rows.length > 0 && rows.every((r) => r.met))}`,
			},
		],
		section: [
			'| Execution | Items | Credential | Token requests | Expected | |',
			'|---|---:|---|---:|---:|---|',
			...rows.map(
				(t) =>
					`| ${t.label} | ${fmt.int(t.n)} | ${t.fresh ? 'fresh' : 'stored token still valid'} | ${t.tokenRequests} | ${t.expectTokens} | ${fmt.verdict(t.met)} |`,
			),
		],
	};
}

module.exports = { id: 'tokens', title: 'Token requests per execution', needs: ['n8n'], plan, run };
