/**
 * Reliability end to end: no secret in anything a real n8n wrote while it ran the reliability
 * scenarios (faults, a token refresh, an outage with error items, a run that fails half-way, and
 * their re-runs) at debug level with console and file logs: not the client secret, not the
 * passphrase, no 20 characters in a row of the private keys or of any access token issued, in the
 * CLI output, the run data, the log files, any file of the user folder or any row of the SQLite
 * database. Figures: test-artifacts/reliability.json.
 */
import { decryptCredentialData, readTables } from '../../scripts/n8n/database';
import { readFilesUnder } from '../../scripts/instance-files';
import {
	describeOnN8n,
	output,
	reportFigures,
	testInOwnEnv,
	type ReliabilityEnv,
} from '../support/reliability-env';
import { bearerTokens } from '../support/reliability-records';
import {
	runFailingHalfWay,
	runUnderFaults,
	runWithOutage,
	runWithTokenExpiry,
} from '../support/reliability-scenarios';
import {
	accountGroupsWorkflow,
	groupInputs,
	GROUPS_NODE,
	ROLE_INPUTS,
	ROLES_NODE,
	rolesWorkflow,
	SCENARIO_SETTINGS,
	workflowCase,
} from '../support/reliability-workflows';
import { labelsFound, needlesFor, scanForSecrets, type Haystack } from '../support/secret-windows';
import { pemBase64 } from '../support/secrets';
import { testClient } from '../support/simulator';

const CASES = {
	faults: workflowCase(
		accountGroupsWorkflow,
		'UpvestRelSecret01',
		groupInputs('SEC', 200),
		SCENARIO_SETTINGS.faults,
	),
	tokenExpiry: workflowCase(
		accountGroupsWorkflow,
		'UpvestRelSecret02',
		groupInputs('SECEXP', 60),
		SCENARIO_SETTINGS.tokenExpiry,
	),
	outage: workflowCase(rolesWorkflow, 'UpvestRelSecret03', ROLE_INPUTS, SCENARIO_SETTINGS.outage),
	failedHalfWay: workflowCase(
		accountGroupsWorkflow,
		'UpvestRelSecret04',
		groupInputs('SECHALF', 40),
		SCENARIO_SETTINGS.failedHalfWay,
	),
};
const CREDENTIALS = Object.values(CASES).flatMap((c) => c.imports.credentials);

/** Runs every scenario once and each re-run, checking only that each ended as it should. */
async function runScenarios(env: ReliabilityEnv) {
	const { faults, tokenExpiry, outage, failedHalfWay } = CASES;
	const faulted = await runUnderFaults(env, faults.workflow.id);
	expect(output(faulted.execution, GROUPS_NODE)).toHaveLength(faults.items.length);
	await env.execute(faults.workflow.id);

	const expiry = await runWithTokenExpiry(env, tokenExpiry.workflow.id, 20);
	expect(expiry.changedAfter).toBeGreaterThanOrEqual(20);
	expect(output(expiry.execution, GROUPS_NODE)).toHaveLength(tokenExpiry.items.length);

	const down = await runWithOutage(env, outage.workflow.id, 5, 4);
	const roles = output(down.execution, ROLES_NODE);
	expect(roles.filter((item) => item.json.error !== undefined)).toHaveLength(2);
	await env.execute(outage.workflow.id);

	const halfWay = await runFailingHalfWay(env, failedHalfWay.workflow.id, 20);
	expect(halfWay.execution.error).toMatch(/Could not reach Upvest/);
	await env.execute(failedHalfWay.workflow.id);
}

describeOnN8n(() => {
	testInOwnEnv(
		'secrets: no client secret, passphrase, private key or access token anywhere n8n wrote (debug logs, CLI output, runs, files, database)',
		{
			name: 'secrets',
			credentials: CREDENTIALS,
			workflows: Object.values(CASES).map((c) => c.workflow),
			debugLogs: true,
			executions: 7,
		},
		async (env) => {
			await runScenarios(env);
			const executions = env.executions;
			const records = env.sim.requests as Parameters<typeof bearerTokens>[0];
			expect(env.signatures.problems(records)).toEqual([]);

			// Every token the simulator issued was used as a bearer token afterwards: the count
			// proves none is missing from the needles. One per credential, one more for the refresh.
			const tokens = bearerTokens(records);
			expect(tokens).toHaveLength(env.sim.state.tokensIssued);
			expect(tokens.length).toBeGreaterThanOrEqual(CREDENTIALS.length + 1);
			const needles = needlesFor(tokens);

			// Positive controls: the search finds each secret where it is known to be.
			const onTheWire = labelsFound(JSON.stringify(records), needles);
			expect(onTheWire).toContain('client secret');
			tokens.forEach((_, i) => expect(onTheWire).toContain(`access token #${i + 1}`));
			const base64 = pemBase64(testClient.ecdsa.privateKeyPem);
			const lines = testClient.ecdsa.privateKeyPem
				.split('\n')
				.filter((line) => /^[A-Za-z0-9+/=]{40,}$/.test(line));
			for (const text of [
				JSON.stringify({ privateKey: testClient.ecdsa.privateKeyPem }),
				`…${base64.slice(101, 141)}…`, // 40 characters from the middle
				`${lines[2].slice(-20)}\\n${lines[3].slice(0, 20)}`, // across an escaped line break
			]) {
				const found = labelsFound(text, needles);
				expect(found.length).toBeGreaterThan(0);
				expect(found.every((label) => label.startsWith('ECDSA private key'))).toBe(true);
			}

			// n8n really logged at debug level, to the console and to its log files.
			const files = readFilesUnder(env.n8n.dir);
			const logFiles = files.filter((file) => file.path.startsWith('.n8n/logs/'));
			expect(logFiles.length).toBeGreaterThan(0);
			expect(logFiles.map((file) => file.text).join('\n')).toContain('"level":"debug"');
			for (const execution of executions) expect(execution.stdout).toMatch(/\| debug \|/);

			const tables: Record<string, Array<Record<string, unknown>>> = await readTables(env.n8n);
			const haystacks: Haystack[] = [
				...executions.flatMap((e, i) => [
					{ name: `execute #${i + 1} (${e.workflowId}) stdout`, text: e.stdout },
					{ name: `execute #${i + 1} (${e.workflowId}) stderr`, text: e.stderr },
					{
						name: `execute #${i + 1} (${e.workflowId}) run`,
						text: JSON.stringify(e.run) ?? '',
					},
				]),
				{ name: 'output of every n8n command', text: env.n8n.logs() },
				...files.map((file) => ({ name: file.path, text: file.text })),
				{ name: 'database rows (every table)', text: JSON.stringify(tables) },
			];
			const hits = scanForSecrets(haystacks, needles);

			// Each credential does hold its current token and the client secret, encrypted: so
			// the database was searched where they would be.
			const encryptionKey = String(env.n8n.env().N8N_ENCRYPTION_KEY);
			const stored = new Map(
				(tables.credentials_entity ?? []).map((row) => [String(row.id), String(row.data)]),
			);
			for (const { id: credentialId } of CREDENTIALS) {
				const data = stored.get(credentialId) ?? '';
				expect(data).toMatch(/^U2FsdGVkX1/); // "Salted__": OpenSSL's format
				const decrypted: { accessToken?: string; clientSecret?: string } = decryptCredentialData(
					data,
					encryptionKey,
				);
				expect(tokens).toContain(decrypted.accessToken);
				expect(decrypted.clientSecret).toBe(testClient.clientSecret);
			}

			reportFigures('secrets', {
				logLevel: 'debug',
				logOutputs: 'console,file',
				executions: executions.map((e) => `${e.workflowId} (exit ${e.exitCode})`),
				runDataParsedAtDebugLevel: executions.every((e) => e.run !== undefined),
				searched: {
					instanceFiles: files.map((file) => `${file.path} (${file.size} bytes)`),
					databaseTables: Object.keys(tables).length,
					databaseRows: Object.values(tables).reduce((n, rows) => n + rows.length, 0),
					totalBytes: haystacks.reduce((n, haystack) => n + haystack.text.length, 0),
				},
				needles: {
					accessTokens: tokens.length,
					tokensIssuedBySimulator: env.sim.state.tokensIssued,
					exactStrings: needles.exact.length,
					windowsOf20Characters: needles.windows.size,
				},
				credentialsStoredEncryptedWithCurrentToken: CREDENTIALS.map((c) => c.id),
				hits: hits.length,
			});
			expect(hits).toEqual([]);
		},
	);
});
