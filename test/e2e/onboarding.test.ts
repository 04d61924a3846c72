/**
 * End-to-end: the example "Upvest: onboard a customer from a form" in `n8n start` (2.8.4, or
 * UPVEST_N8N_VERSION), its form submitted as a browser submits it (scripts/form-client.js), the
 * outcome read at the simulator. A second submission the same day creates nothing (the user, the
 * account group and the account come back from Upvest's idempotency store, the KYC check is found
 * by the lookup); a failed KYC check leaves the account PENDING_APPROVAL; and an Upvest Trigger
 * on USER_CHECK.PASSED receives the customer's passed check once, verified, also when the
 * simulator delivers it again. The first submission itself: onboarding.smoke.test.ts.
 */
import { TRIGGER_NAME, triggerWorkflow } from '../../scripts/trigger-workflows';
import { RUNS_ON } from '../support/e2e';
import {
	formAnswers,
	FORM_ID,
	onboardingCounts,
	onboardingState,
	onboardingTest,
	submitOnboardingForm,
	useOnboardingE2e,
	waitUntilDecided,
} from '../support/onboarding-e2e';
import { lastSeq } from '../support/simulator';

const CHECKS = {
	id: 'UpvestOnbChecks01',
	name: 'E2E onboarding: passed checks',
	webhookId: '5e1d7c3a-9b2f-4a6e-8d1c-3f7a9b2e5d01',
};
const ONE_OF_EACH = { users: 1, userChecks: 1, accountGroups: 1, accounts: 1 };

const e2e = useOnboardingE2e({
	name: 'onboarding',
	workflows: (credential) => [
		triggerWorkflow({
			...CHECKS,
			credential,
			categories: ['USER_CHECK'],
			eventTypes: ['USER_CHECK.PASSED'],
		}),
	],
	triggerWorkflows: [CHECKS.id],
});

describe(`${RUNS_ON}: the example "onboard a customer from a form"`, () => {
	onboardingTest(
		e2e,
		'the same form submitted again the same day creates nothing: user, account group and account are replayed, the KYC check is found',
		'again',
		async (e2e) => {
			await e2e.fresh(FORM_ID);
			const answers = formAnswers(2);
			expect((await submitOnboardingForm(e2e, answers)).status).toBe(200);
			expect(onboardingCounts(e2e)).toEqual(ONE_OF_EACH);
			const { users, userChecks, accountGroups, accounts } = onboardingState(e2e);
			const userId = users[0].id;
			const ids = [users, userChecks, accountGroups, accounts].map(([resource]) => resource.id);

			const since = lastSeq(e2e.sim);
			expect((await submitOnboardingForm(e2e, answers)).status).toBe(200);
			const again = e2e.sim.requests.filter((r) => r.seq > since && !r.tokenRequest);
			expect(again.map((r) => [r.method, r.path, r.status, r.replayed])).toEqual([
				['POST', '/users', 200, true],
				['GET', `/users/${userId}/checks`, 200, false], // finds the check: no POST follows
				['POST', '/account_groups', 200, true],
				['POST', '/accounts', 200, true],
			]);
			expect(again.every((r) => r.signature?.valid)).toBe(true);
			expect(onboardingCounts(e2e)).toEqual(ONE_OF_EACH);
			expect([users, userChecks, accountGroups, accounts].map(([r]) => r.id)).toEqual(ids);
			expect(e2e.sim.state.events.filter((event) => event.type.endsWith('.CREATED'))).toHaveLength(
				4,
			);
		},
	);

	onboardingTest(
		e2e,
		"a failed KYC check leaves the customer's account PENDING_APPROVAL and the user INACTIVE",
		'failed-check',
		async (e2e) => {
			await e2e.fresh(FORM_ID);
			e2e.sim.setConfig({ checkOutcome: 'FAILED' });
			expect((await submitOnboardingForm(e2e, formAnswers(3))).status).toBe(200);
			expect(onboardingCounts(e2e)).toEqual(ONE_OF_EACH);
			const { users, userChecks, accountGroups, accounts } = onboardingState(e2e);

			const check = await waitUntilDecided('the KYC check', () => userChecks[0], 'IN_PROGRESS');
			expect(check.status).toBe('FAILED');
			// A failed check decides nothing else: no activation is on its way.
			expect([users[0], accountGroups[0], accounts[0]].map((r) => r.status)).toEqual([
				'INACTIVE',
				'PENDING_APPROVAL',
				'PENDING_APPROVAL',
			]);
			const activations = e2e.sim.state.events.filter((event) => event.type.endsWith('.ACTIVATED'));
			expect(activations).toEqual([]);
			expect(e2e.sim.state.events.map((event) => event.type)).toContain('USER_CHECK.FAILED');
		},
	);

	onboardingTest(
		e2e,
		'an Upvest Trigger on USER_CHECK.PASSED runs once for the onboarding, with one verified item, also when Upvest delivers it again',
		'check-passed',
		async (e2e) => {
			await e2e.fresh(FORM_ID, CHECKS.id);
			expect((await submitOnboardingForm(e2e, formAnswers(4))).status).toBe(200);
			const [check] = e2e.sim.state.userChecks;
			// USER_CHECK.CREATED and .PASSED are delivered; only PASSED starts the workflow.
			const { deliveries, executions } = await e2e.settle(CHECKS.id, 2);
			expect(executions.map((execution) => [execution.mode, execution.status])).toEqual([
				['webhook', 'success'],
			]);
			const items = e2e.items(executions[0], TRIGGER_NAME);
			expect(items).toEqual([
				expect.objectContaining({
					type: 'USER_CHECK.PASSED',
					object: expect.objectContaining({ id: check.id, type: 'KYC', status: 'PASSED' }),
				}),
			]);
			// Answered 200 only after the signature was verified against the published keys: a
			// forged copy is refused.
			expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
			const [webhookId] = e2e.sim.state.webhooks.map((subscription) => subscription.id);
			const forged = await e2e.sim.inject({
				webhookId,
				kind: 'forged',
				type: 'USER_CHECK.PASSED',
				object: { id: 'forged-check', type: 'KYC', status: 'PASSED' },
			});
			expect([forged.status, JSON.parse(forged.body ?? '{}').check]).toEqual([401, 'signature']);

			// Upvest delivers the same events again (a fresh signature): acknowledged, passed on never.
			const again = await e2e.sim.inject({ webhookId, kind: 'duplicate' });
			expect(again.status).toBe(200);
			expect(JSON.parse(again.body ?? '{}').passedOn).toBe(0);
			const marker = await e2e.barrier(CHECKS.id, TRIGGER_NAME, 'USER_CHECK.PASSED');
			const after = await e2e.executions(CHECKS.id);
			expect(after.map((execution) => execution.id)).toEqual([executions[0].id, marker.id]);
		},
	);
});
