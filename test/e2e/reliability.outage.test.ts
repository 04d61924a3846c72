/**
 * Reliability end to end: Upvest answers 503 for longer than the retry budget (Max Attempts 2) of
 * two items in a real n8n (`n8n execute`, Continue On Fail). Those two become error items that
 * name the status, the item and Upvest's request ID; the others succeed; a re-run with the same
 * input creates exactly those two. Figures: test-artifacts/reliability.json.
 */
import { describeOnN8n, output, reportFigures, testInOwnEnv } from '../support/reliability-env';
import { apiRecords, count, groupBy, ownerOf } from '../support/reliability-records';
import { runWithOutage } from '../support/reliability-scenarios';
import {
	BUSINESS_ID,
	mappedKey,
	ROLE_INPUTS,
	ROLES_NODE,
	rolesWorkflow,
	SCENARIO_SETTINGS,
	workflowCase,
} from '../support/reliability-workflows';

const CASE = workflowCase(
	rolesWorkflow,
	'UpvestRelOutage001',
	ROLE_INPUTS,
	SCENARIO_SETTINGS.outage,
);
const MAX_ATTEMPTS = SCENARIO_SETTINGS.outage.maxAttempts;
const OUTAGE_AFTER = 5;

describeOnN8n(() => {
	testInOwnEnv(
		'Upvest down longer than the retry budget: those items fail clearly, the others succeed; a re-run creates only them',
		{ name: 'outage', ...CASE.imports, executions: 2 },
		async (env) => {
			// Two whole items' retry budget of 503s, one item at a time.
			const { execution, changedAfter: outageAfter } = await runWithOutage(
				env,
				CASE.workflow.id,
				OUTAGE_AFTER,
				2 * MAX_ATTEMPTS,
			);
			expect(outageAfter).toBeGreaterThanOrEqual(OUTAGE_AFTER);
			const api = apiRecords(execution.records, '/roles');
			const items = output(execution, ROLES_NODE);
			expect(items).toHaveLength(ROLE_INPUTS.length);
			items.forEach((item, i) => expect(item.pairedItem).toEqual({ item: i }));

			const failed = items.flatMap((item, i) => (item.json.error !== undefined ? [i] : []));
			expect(failed).toHaveLength(2);
			expect(failed[1]).toBe(failed[0] + 1);
			const byUser = groupBy(api, ownerOf);
			for (const i of failed) {
				const json = items[i].json;
				const attempts = byUser.get(ROLE_INPUTS[i].userId) ?? [];
				expect(attempts.map((r) => r.status)).toEqual([503, 503]);
				expect(json.error).toMatch(/\b503\b/);
				expect(json.error).toContain(`after ${MAX_ATTEMPTS} attempts`);
				expect(json.error).toContain(`[item ${i}]`);
				expect(json.httpCode).toBe('503');
				// The request ID of the last attempt, to quote to Upvest.
				expect(json.description).toContain(`Upvest request ID: ${attempts[1].requestId}`);
				expect(json.id).toBeUndefined();
			}
			ROLE_INPUTS.forEach((input, i) => {
				if (failed.includes(i)) return;
				expect(items[i].json).toMatchObject({
					id: expect.any(String),
					user_id: input.userId,
					entity_type: 'BUSINESS',
					entity_id: BUSINESS_ID,
					role_type: 'LEGAL_REPRESENTATIVE',
				});
				expect((byUser.get(input.userId) ?? []).map((r) => r.status)).toEqual([200]);
			});
			expect(env.sim.state.roles).toHaveLength(ROLE_INPUTS.length - 2);
			expect(env.signatures.problems(execution.records)).toEqual([]);

			// Upvest is back: the same workflow again. Keys come from the input, so the ten done
			// items are replayed and only the two failed ones are created.
			const rerun = await env.execute(CASE.workflow.id);
			const rerunApi = apiRecords(rerun.records, '/roles');
			const rerunItems = output(rerun, ROLES_NODE);
			expect(rerunItems).toHaveLength(ROLE_INPUTS.length);
			ROLE_INPUTS.forEach((input, i) => {
				expect(rerunItems[i].json.error).toBeUndefined();
				expect(rerunItems[i].pairedItem).toEqual({ item: i });
				expect(rerunItems[i].json).toMatchObject({
					id: expect.any(String),
					user_id: input.userId,
				});
				const [record, ...more] = rerunApi.filter((r) => ownerOf(r) === input.userId);
				expect(more).toHaveLength(0);
				expect(record.idempotencyKey).toBe(mappedKey('/roles', input.ref));
				expect(record).toMatchObject({ status: 200, replayed: !failed.includes(i) });
				if (!failed.includes(i)) expect(rerunItems[i].json.id).toBe(items[i].json.id);
			});
			const roles = env.sim.state.roles;
			expect(roles).toHaveLength(ROLE_INPUTS.length);
			expect(new Set(roles.map((role) => role.user_id))).toEqual(
				new Set(ROLE_INPUTS.map((input) => input.userId)),
			);
			expect(env.signatures.problems(rerun.records)).toEqual([]);

			reportFigures('outage', {
				items: ROLE_INPUTS.length,
				maxAttempts: MAX_ATTEMPTS,
				outageStartedAfterRequests: outageAfter,
				injected503: count(api, (r) => r.status === 503),
				failedItems: failed,
				errorMessages: failed.map((i) => items[i].json.error),
				errorDescriptions: failed.map((i) => items[i].json.description ?? null),
				succeededFirstRun: ROLE_INPUTS.length - failed.length,
				rerunCreated: count(rerunApi, (r) => !r.replayed),
				rerunReplayed: count(rerunApi, (r) => r.replayed),
				rolesTotal: roles.length,
				cliMs: [execution.ms, rerun.ms],
			});
		},
	);
});
