/**
 * End-to-end, on every n8n version of the matrix (scripts/test.js SMOKE_ON_EVERY_VERSION): the
 * example "Upvest: onboard a customer from a form" as it ships, in `n8n start`. Its form,
 * submitted as a browser submits it, creates one user, one KYC check, one personal account group
 * and one trading account at the simulator, every request signed; once the check has passed,
 * the user, the account group and the account turn ACTIVE. More on the onboarding:
 * onboarding.test.ts.
 */
import { RUNS_ON } from '../support/e2e';
import {
	documentLink,
	expectedCheckConfirmedAt,
	formAnswers,
	FORM_ID,
	onboardingCounts,
	onboardingState,
	onboardingTest,
	submitOnboardingForm,
	useOnboardingE2e,
	userBody,
} from '../support/onboarding-e2e';
import { waitFor } from '../support/trigger-e2e';

const e2e = useOnboardingE2e({ name: 'onboarding-smoke' });

describe(`${RUNS_ON}: the example "onboard a customer from a form"`, () => {
	onboardingTest(
		e2e,
		'a submitted form creates one user, one KYC check, one account group and one account, which turns ACTIVE once the check passed',
		'form',
		async (e2e) => {
			await e2e.fresh(FORM_ID);
			const answers = formAnswers(1);
			const answer = await submitOnboardingForm(e2e, answers);
			expect(answer.status).toBe(200);

			expect(onboardingCounts(e2e)).toEqual({
				users: 1,
				userChecks: 1,
				accountGroups: 1,
				accounts: 1,
			});
			const { users, userChecks, accountGroups, accounts } = onboardingState(e2e);
			const [user] = users;
			expect(user).toMatchObject(userBody(answers));
			expect(userChecks[0]).toMatchObject({
				user_id: user.id,
				type: 'KYC',
				check_confirmed_at: await expectedCheckConfirmedAt(e2e),
				provider: 'IDnow',
				method: 'VIDEO_ID',
				document_type: 'ID_CARD',
				document_expiration_date: '2031-09-30',
				nationality: 'DE',
				data_download_link: documentLink(user.id),
			});
			expect(accountGroups[0]).toMatchObject({ user_id: user.id, type: 'PERSONAL' });
			expect(accounts[0]).toMatchObject({
				users: [{ id: user.id, type: 'OWNER' }],
				account_group_id: accountGroups[0].id,
				type: 'TRADING',
			});
			const calls = e2e.sim.requests.filter((request) => !request.tokenRequest);
			expect(calls.map((request) => `${request.method} ${request.path}`)).toEqual([
				'POST /users',
				`GET /users/${user.id}/checks`, // the lookup: no such check yet
				`POST /users/${user.id}/checks`,
				'POST /account_groups',
				'POST /accounts',
			]);
			expect(e2e.sim.requests.every((request) => request.signature?.valid)).toBe(true);

			// Upvest decides the check; the user, then its account group and account are activated.
			await waitFor('the account to be ACTIVE', () => accounts[0].status === 'ACTIVE');
			expect([user, userChecks[0], accountGroups[0]].map((resource) => resource.status)).toEqual([
				'ACTIVE',
				'PASSED',
				'ACTIVE',
			]);
		},
	);
});
