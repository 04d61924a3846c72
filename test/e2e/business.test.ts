/**
 * End-to-end: the example "Upvest: onboard a business" in a real n8n against the simulator. The
 * business, its director (a user with a KYC check), the three roles Upvest requires, the KYB check,
 * the BUSINESS account group and its account are created once each; running it again creates
 * nothing; once the checks have passed, the business and its account become ACTIVE.
 */
import businessJson from '../../examples/onboard-a-business.workflow.json';
import { credentialFor } from '../../scripts/n8n-runtime';
import { describeFailure, executionRunner, expectAllSigned, output } from '../support/cli-run';
import { RUNS_ON, useN8nWithSimulator } from '../support/e2e';
import type { Resource } from '../support/simulator';
import { waitFor } from '../support/trigger-e2e';

const EXAMPLE_ID = 'UpvestOnboardBiz01';
const SCOPES = 'users:admin checks:admin accounts:admin roles:admin businesses:admin';

const setup = useN8nWithSimulator('e2e-business', {
	// Checks pass after 200 ms; activations follow the checks at once.
	simulatorOptions: { activationDelayMs: 0, checkDelayMs: 200 },
	credentials: (sim) => [credentialFor(sim.url, 'ecdsa', { scopes: SCOPES })],
	workflows: () => [businessJson],
});
const run = executionRunner(setup);

/** How many of each the simulator holds. */
function counts() {
	const { state } = setup.sim;
	return {
		businesses: state.businesses.length,
		users: state.users.length,
		userChecks: state.userChecks.length,
		roles: state.roles.length,
		businessChecks: state.businessChecks.length,
		accountGroups: state.accountGroups.length,
		accounts: state.accounts.length,
	};
}

const statusOf = (resources: Resource[]) => resources.map((resource) => resource.status);

describe(`${RUNS_ON}: the example "onboard a business"`, () => {
	test(
		'creates every part once, a second run creates nothing, and the business becomes ACTIVE',
		async () => {
			const first = await run(EXAMPLE_ID);
			expect(describeFailure(first)).toBe('exit 0');
			expectAllSigned(first.records);
			const once = {
				businesses: 1,
				users: 1,
				userChecks: 1,
				roles: 3,
				businessChecks: 1,
				accountGroups: 1,
				accounts: 1,
			};
			expect(counts()).toEqual(once);
			const roles = output(first, 'Give the director the roles').map((item) => item.json.role_type);
			expect(roles).toEqual([
				'LEGAL_REPRESENTATIVE',
				'ULTIMATE_BENEFICIAL_OWNER',
				'CONTRACTING_EXECUTIVE',
			]);
			expect(output(first, 'Open business account')[0].json).toMatchObject({
				type: 'TRADING',
				name: 'Treasury',
				business_id: setup.sim.state.businesses[0].id,
			});

			const second = await run(EXAMPLE_ID);
			expect(describeFailure(second)).toBe('exit 0');
			expect(counts()).toEqual(once);
			const posts = second.records.filter(
				(record) => record.method === 'POST' && !record.tokenRequest,
			);
			// Keyed creates are answered from Upvest's idempotency store; checks are found first.
			expect(posts.every((record) => record.replayed)).toBe(true);
			expect(output(second, 'Submit KYB')[0].json.alreadyExisted).toBe(true);
			expect(output(second, "Submit director's KYC")[0].json.alreadyExisted).toBe(true);

			const { state } = setup.sim;
			await waitFor('the business to be ACTIVE', () => state.businesses[0].status === 'ACTIVE');
			await waitFor('the account to be ACTIVE', () => state.accounts[0].status === 'ACTIVE');
			expect(statusOf(state.roles)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
			expect(statusOf(state.accountGroups)).toEqual(['ACTIVE']);
		},
		4 * 60_000,
	);
});
