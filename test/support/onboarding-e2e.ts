/**
 * The setup of the onboarding end-to-end files (onboarding.test.ts, onboarding.smoke.test.ts,
 * personal-data.test.ts): one simulator and one `n8n start` per file (test/support/trigger-e2e.ts)
 * with the example "Upvest: onboard a customer from a form" imported as it ships (its credential
 * is the simulator's test client with every scope the examples need), and its form submitted the
 * way a browser submits it (scripts/form-client.js). Everything is checked at the simulator: the
 * example does not keep successful executions, so there are none to read.
 */
import formJson from '../../examples/onboard-a-customer-from-a-form.workflow.json';
import { formUrl, openForm, submitForm } from '../../scripts/form-client';
import { parseDateTime, todayIn } from '../../nodes/Upvest/shared/dates';
import { INSTALL_TIMEOUT } from './e2e';
import { startTriggerE2e, waitFor, type CredentialRef, type TriggerE2e } from './trigger-e2e';
import type { Resource } from './simulator';

type Json = Record<string, unknown>;

/** The example workflow, as it ships. */
export const FORM_EXAMPLE = formJson as Json & { id: string; name: string; nodes: Json[] };
export const FORM_ID = FORM_EXAMPLE.id;
/** One test: start, a few submissions, waits on the simulator. */
export const ONBOARDING_TEST_TIMEOUT = 240_000;

export interface FormAnswers {
	'First name': string;
	'Last name': string;
	'Date of birth': string;
	Nationality: string;
	'E-mail': string;
	'Street and number': string;
	Postcode: string;
	City: string;
	'Country of residence': string;
	'ID document': 'Passport' | 'ID card';
	'ID document expiry date': string;
}

/**
 * A customer's answers, unusual enough that a text search finds them only where they went; `n`
 * makes each customer distinct.
 */
export function formAnswers(n: number, changes: Partial<FormAnswers> = {}): FormAnswers {
	const tag = String(n).padStart(2, '0');
	return {
		'First name': `Ottilie${tag}`,
		'Last name': `Brennfleck${tag}`,
		'Date of birth': '1986-03-14',
		Nationality: 'Germany (DE)',
		'E-mail': `ottilie.brennfleck${tag}@example.org`,
		'Street and number': `Hagebuttenstieg ${11 + n}`,
		Postcode: '20095',
		City: 'Hamburg',
		'Country of residence': 'Germany (DE)',
		'ID document': 'ID card',
		'ID document expiry date': '2031-09-30',
		...changes,
	};
}

/** The user body Upvest receives for these answers. */
export function userBody(answers: FormAnswers): Json {
	return {
		first_name: answers['First name'],
		last_name: answers['Last name'],
		birth_date: answers['Date of birth'],
		nationalities: [answers.Nationality.slice(-3, -1)],
		address: {
			address_line1: answers['Street and number'],
			postcode: answers.Postcode,
			city: answers.City,
			country: answers['Country of residence'].slice(-3, -1),
		},
		email: answers['E-mail'],
	};
}

/** The example's stand-in for the identification provider's evidence link, per user. */
export const documentLink = (userId: string) =>
	`https://identification.example.com/evidence/${userId}.zip`;

export interface OnboardingE2eOptions {
	/** Names the instance folder and the artifacts. */
	name: string;
	/** More workflows (e.g. an Upvest Trigger), built with the examples' credential. */
	workflows?: (credential: CredentialRef) => object[];
	/** Their ids, when they start with a trigger: `fresh()` deactivates them. */
	triggerWorkflows?: string[];
	/** Extra environment of n8n, e.g. debug logs. */
	n8nEnv?: Record<string, string>;
}

/** Registers the file's beforeAll/afterAll; the returned function gives the running setup. */
export function useOnboardingE2e(options: OnboardingE2eOptions): () => TriggerE2e {
	let e2e: TriggerE2e | undefined;
	beforeAll(async () => {
		e2e = await startTriggerE2e({
			name: options.name,
			workflows: ({ trigger }) => [FORM_EXAMPLE, ...(options.workflows?.(trigger) ?? [])],
			triggerWorkflows: [FORM_ID, ...(options.triggerWorkflows ?? [])],
			n8nEnv: options.n8nEnv,
		});
	}, INSTALL_TIMEOUT);
	afterAll(async () => await e2e?.close(), 60_000);
	return () => {
		if (e2e === undefined) throw new Error('n8n and the simulator did not start (see beforeAll)');
		return e2e;
	};
}

/**
 * Opens the example's form and submits these answers as a browser does. The form answers once
 * the workflow has finished ("Respond When: Workflow Finishes"): 200, or an error status when it
 * failed.
 */
export async function submitOnboardingForm(e2e: TriggerE2e, answers: FormAnswers) {
	const form = await openForm(formUrl(e2e.n8n.url, FORM_EXAMPLE));
	return await submitForm(form, answers);
}

/** What the simulator holds of each onboarding resource. */
export function onboardingState(e2e: TriggerE2e) {
	const { users, userChecks, accountGroups, accounts } = e2e.sim.state;
	return { users, userChecks, accountGroups, accounts };
}

/** How many of each onboarding resource the simulator holds. */
export function onboardingCounts(e2e: TriggerE2e) {
	return Object.fromEntries(
		Object.entries(onboardingState(e2e)).map(([kind, list]) => [kind, list.length]),
	);
}

/** Waits (bounded) until the resource has left `from`; resolves it. */
export async function waitUntilDecided(what: string, resource: () => Resource, from: string) {
	return await waitFor(`${what} to leave ${from}`, () => resource().status !== from && resource());
}

/**
 * The check's confirmation time the example sends for a submission today: midnight of today's
 * date in the workflow's time zone (n8n's, as the instance reports it).
 */
export async function expectedCheckConfirmedAt(e2e: TriggerE2e): Promise<string | undefined> {
	const settings = (await e2e.rest.call('GET', '/rest/settings')) as { timezone: string };
	return parseDateTime(todayIn(settings.timezone), settings.timezone);
}

/** Runs a test body in the setup; a failure keeps the n8n log and the simulator's records. */
export function onboardingTest(
	e2e: () => TriggerE2e,
	title: string,
	artifact: string,
	body: (e2e: TriggerE2e) => Promise<void>,
): void {
	test(title, async () => await e2e().step(artifact, () => body(e2e())), ONBOARDING_TEST_TIMEOUT);
}
