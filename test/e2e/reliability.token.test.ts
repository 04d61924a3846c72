/**
 * Reliability end to end: the access token expires in the middle of a sequential run in a real
 * n8n (`n8n execute`). Upvest refuses it with 401; the node fetches one new token and no item
 * fails. Figures: test-artifacts/reliability.json.
 */
import { describeOnN8n, output, reportFigures, testInOwnEnv } from '../support/reliability-env';
import { apiRecords, bearerTokens, count, tokenRecords } from '../support/reliability-records';
import { runWithTokenExpiry } from '../support/reliability-scenarios';
import {
	accountGroupsWorkflow,
	groupInputs,
	GROUPS_NODE,
	SCENARIO_SETTINGS,
	workflowCase,
} from '../support/reliability-workflows';

const CASE = workflowCase(
	accountGroupsWorkflow,
	'UpvestRelExpiry001',
	groupInputs('EXP', 60),
	SCENARIO_SETTINGS.tokenExpiry,
);
const ITEMS = CASE.items;
const EXPIRE_AFTER = 20;

describeOnN8n(() => {
	testInOwnEnv(
		'the access token expires after 20 of 60 requests: one refresh, no failed item, 60 account groups',
		{ name: 'token', ...CASE.imports, executions: 1 },
		async (env) => {
			const run = await runWithTokenExpiry(env, CASE.workflow.id, EXPIRE_AFTER);
			const records = run.execution.records;
			const api = apiRecords(records, '/account_groups');
			expect(run.changedAfter).toBeGreaterThanOrEqual(EXPIRE_AFTER);
			expect(run.changedAfter).toBeLessThan(ITEMS.length);

			// Two token requests: the run's first, and one refresh after the token was refused,
			// before the run's last request.
			const tokens = tokenRecords(records);
			expect(tokens).toHaveLength(2);
			expect(tokens.every((r) => r.status === 200)).toBe(true);
			const refused = api.filter((r) => r.status === 401);
			expect(refused.length).toBeGreaterThan(0);
			expect(tokens[1].seq).toBeGreaterThan(refused[0].seq);
			expect(tokens[1].seq).toBeLessThan(api[api.length - 1].seq);
			expect(bearerTokens(records)).toHaveLength(2);

			const items = output(run.execution, GROUPS_NODE);
			expect(items).toHaveLength(ITEMS.length);
			items.forEach((item, i) => {
				expect(item.json.error).toBeUndefined();
				expect(item.pairedItem).toEqual({ item: i });
				expect(item.json).toMatchObject({ id: expect.any(String), user_id: ITEMS[i].userId });
			});
			const owners = env.sim.state.accountGroups.map((group) => group.user_id);
			expect(owners).toHaveLength(ITEMS.length);
			expect(new Set(owners)).toEqual(new Set(ITEMS.map((input) => input.userId)));
			expect(count(api, (r) => r.status === 200)).toBe(ITEMS.length);
			expect(new Set(api.map((r) => r.status))).toEqual(new Set([200, 401]));
			expect(env.signatures.problems(records)).toEqual([]);

			reportFigures('tokenExpiry', {
				items: ITEMS.length,
				concurrency: 1,
				tokenExpiredAfterResourceRequests: run.changedAfter,
				tokenRequests: tokens.length,
				refusedWith401: refused.length,
				resourceRequests: api.length,
				created: owners.length,
				failedItems: count(items, (item) => item.json.error !== undefined),
				cliMs: run.execution.ms,
			});
		},
	);
});
