/**
 * Personal data in a real n8n (2.8.4, or UPVEST_N8N_VERSION): the example "Upvest: onboard a
 * customer from a form" as it ships (successful executions not saved, failed ones kept), in
 * `n8n start` logging at debug level to its console and to files. Three customers submit the form:
 * one is onboarded, one gives a postcode the Upvest node refuses before sending, and for one the
 * simulator answers 400 with a detail that repeats what was sent. Their recognisable values
 * (names, street, e-mail, the refused postcode, the document link) are then searched for in n8n's
 * log files and console output, the output of every n8n command, the form's answers, every
 * execution error, every other file of the user folder, and every row of every table of the
 * SQLite database. n8n keeps the items of the steps before a failure in a failed execution (its
 * documented behaviour); those items are set apart, and must hold the values (so the search works
 * where they are). Figures: test-artifacts/personal-data.json (section e2e).
 */
import { recordFigures } from '../../scripts/figures';
import { readTables } from '../../scripts/n8n/database';
import { readFilesUnder } from '../../scripts/instance-files';
import { RUNS_ON, VERSION } from '../support/e2e';
import {
	documentLink,
	formAnswers,
	FORM_ID,
	onboardingTest,
	submitOnboardingForm,
	useOnboardingE2e,
	type FormAnswers,
} from '../support/onboarding-e2e';
import { errorsOf, splitRunData } from '../support/run-data';
import { scanForSecrets, type Haystack, type Needles } from '../support/secret-windows';
import { serializeForSearch } from '../support/secrets';
import type { Execution } from '../support/trigger-e2e';

type Json = Record<string, unknown>;

const e2e = useOnboardingE2e({
	name: 'personal-data',
	n8nEnv: { N8N_LOG_LEVEL: 'debug', N8N_LOG_OUTPUT: 'console,file' },
});

/** The values of one customer a leak search looks for, labelled without the value. */
function personalValues(who: string, answers: FormAnswers): Array<[string, string]> {
	return [
		[`${who}: first name`, answers['First name']],
		[`${who}: last name`, answers['Last name']],
		[`${who}: street`, answers['Street and number']],
		[`${who}: e-mail`, answers['E-mail']],
	];
}

/** Each value as written, in lower case, and URL-encoded. */
function needlesFor(values: Array<[string, string]>): Needles {
	const exact = new Map<string, [string, string]>();
	for (const [label, value] of values) {
		for (const variant of [value, value.toLowerCase(), encodeURIComponent(value)]) {
			exact.set(variant, [label, variant]);
		}
	}
	return { exact: [...exact.values()], windows: new Map() };
}

const bytes = (haystacks: Haystack[]) => haystacks.reduce((n, h) => n + h.text.length, 0);

/** Bytes per folder two levels deep, e.g. `.n8n/logs`. */
function bytesByFolder(files: Array<{ path: string; size: number }>): Record<string, number> {
	const folders: Record<string, number> = {};
	for (const file of files) {
		const folder = file.path.split('/').slice(0, -1).slice(0, 2).join('/') || '.';
		folders[folder] = (folders[folder] ?? 0) + file.size;
	}
	return folders;
}

describe(`${RUNS_ON}: personal data`, () => {
	onboardingTest(
		e2e,
		"no customer's personal value in n8n's debug logs, its output, the form's answers, any execution error, any file or any database row (the items of failed executions apart)",
		'personal-data',
		async (e2e) => {
			await e2e.fresh(FORM_ID);
			const onboarded = formAnswers(21);
			const refusedByNode = formAnswers(22, { Postcode: 'Zaunkoenig-22' }); // 13 characters
			const refusedByUpvest = formAnswers(23);

			const submissions = [await submitOnboardingForm(e2e, onboarded)];
			expect(submissions[0].status).toBe(200);
			submissions.push(await submitOnboardingForm(e2e, refusedByNode));
			e2e.sim.setFaults([
				{
					path: '/users',
					method: 'POST',
					kind: 'status',
					status: 400,
					count: 1,
					detail: `last_name ${refusedByUpvest['Last name']} at ${refusedByUpvest['Street and number']} (${refusedByUpvest['E-mail']}) is not accepted`,
				},
			]);
			submissions.push(await submitOnboardingForm(e2e, refusedByUpvest));
			expect(submissions.map((submission) => submission.status)).toEqual([200, 500, 500]);
			const [user] = e2e.sim.state.users;
			expect(e2e.sim.state.users).toHaveLength(1);

			// n8n kept the two failed executions (not the successful one), with their errors.
			const kept = await e2e.executions(FORM_ID);
			const failed = await Promise.all(
				kept.map(async (summary) => (await e2e.rest.execution(summary.id)) as Execution),
			);
			expect(failed.map((execution) => execution.status)).toEqual(['error', 'error']);
			const runData = failed.map((execution) => (execution.run as { data: unknown }).data);
			const errors = runData.map(errorsOf);
			const messages = errors.map((list) => list.map((error) => String(error.message)));
			expect(messages[0].join('\n')).toMatch(/Address: Postcode/);
			expect(messages[1].join('\n')).toMatch(/400/);
			expect(serializeForSearch(errors[1])).toContain('[redacted]');

			const values: Array<[string, string]> = [
				...personalValues('onboarded customer', onboarded),
				['onboarded customer: document link', documentLink(user.id)],
				...personalValues('customer refused by the node', refusedByNode),
				['customer refused by the node: postcode', refusedByNode.Postcode],
				...personalValues('customer refused by Upvest', refusedByUpvest),
			];
			const needles = needlesFor(values);

			// Each value went through n8n: to Upvest, or into a failed execution's stored items.
			const split = runData.map(splitRunData);
			const storedItems = JSON.stringify(split.map((part) => part.items));
			const wire = JSON.stringify(e2e.sim.requests.map((request) => request.body));
			for (const [label, value] of values) {
				expect([label, wire.includes(value) || storedItems.includes(value)]).toEqual([label, true]);
			}

			// n8n really logged at debug level, to its console and to its log files.
			const files = readFilesUnder(e2e.n8n.dir);
			const logFiles = files.filter((file) => file.path.startsWith('.n8n/logs/'));
			expect(logFiles.map((file) => file.text).join('\n')).toContain('"level":"debug"');
			expect(e2e.n8n.logs()).toMatch(/debug/i);

			// The database: every row of every table as it is, but the stored run data of the failed
			// executions n8n kept, searched without their items (below). A row of any other
			// execution (one n8n was to delete) is searched whole. The SQLite files themselves are
			// searched too, and reported apart.
			const tables: Record<string, Json[]> = await readTables(e2e.n8n);
			const keptIds = new Set(failed.map((execution) => String(execution.id)));
			const executionData = tables.execution_data ?? [];
			const rows = {
				...tables,
				execution_data: executionData.map((row) =>
					keptIds.has(String(row.executionId)) ? { ...row, data: '(searched below)' } : row,
				),
			};
			const isDatabaseFile = (path: string) => /^\.n8n\/database\.sqlite/.test(path);
			const asHaystack = (file: { path: string; text: string }) => ({
				name: file.path,
				text: file.text,
			});
			const searched: Record<string, Haystack[]> = {
				n8nOutput: [{ name: 'output of n8n start and of every n8n command', text: e2e.n8n.logs() }],
				logFiles: logFiles.map(asHaystack),
				formAnswers: submissions.map((submission, i) => ({
					name: `answer to form submission #${i + 1}`,
					text: submission.text,
				})),
				executionErrors: errors.map((list, i) => ({
					name: `errors of failed execution #${i + 1}`,
					text: serializeForSearch(list),
				})),
				failedRunDataWithoutItems: split.map((part, i) => ({
					name: `stored run data of failed execution #${i + 1}, without items`,
					text: JSON.stringify(part.rest),
				})),
				databaseRows: [{ name: 'database rows (every table)', text: JSON.stringify(rows) }],
				otherFiles: files
					.filter((file) => !isDatabaseFile(file.path) && !logFiles.includes(file))
					.map(asHaystack),
			};
			const hits = scanForSecrets(Object.values(searched).flat(), needles);
			const databaseFiles = files.filter((file) => isDatabaseFile(file.path));
			const inDatabaseFiles = scanForSecrets(databaseFiles.map(asHaystack), needles);
			const labels = (found: string[]) =>
				[...new Set(found.map((hit) => hit.slice(0, hit.indexOf(' in '))))].sort();

			recordFigures(
				'personal-data.json',
				'e2e',
				{
					logLevel: 'debug',
					logOutputs: 'console,file',
					submissions: submissions.map((submission) => submission.status),
					failedExecutionsKept: failed.length,
					executionErrors: errors.flat().length,
					databaseTables: Object.keys(tables).length,
					databaseRows: Object.values(tables).reduce((n, list) => n + list.length, 0),
					executionDataRows: executionData.map((row) => String(row.executionId)),
					otherFiles: searched.otherFiles.length,
					otherFileBytesByFolder: bytesByFolder(
						files.filter((file) => !isDatabaseFile(file.path) && !logFiles.includes(file)),
					),
					bytesSearched: Object.fromEntries(
						Object.entries(searched).map(([part, list]) => [part, bytes(list)]),
					),
					totalBytesSearched: bytes(Object.values(searched).flat()),
					valuesSought: values.length,
					spellingsSought: needles.exact.length,
					hits: hits.length,
					storedItemsOfFailedExecutions: {
						bytes: storedItems.length,
						valuesFound: values.filter(([, value]) => storedItems.includes(value)).length,
					},
					sqliteFiles: {
						files: databaseFiles.map((file) => `${file.path} (${file.size} bytes)`),
						valuesFound: labels(inDatabaseFiles),
					},
				},
				{ n8nVersion: VERSION },
			);
			expect(hits).toEqual([]);
		},
	);
});
