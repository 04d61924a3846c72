/**
 * End-to-end: n8n's HTTP Request node with the Upvest credential, pointed anywhere but the
 * credential's own base URL, sends nothing there: not the access token, not a signature. Another
 * port, another host name, userinfo in the URL and redirects, with GET and POST, in a real n8n
 * (2.8.4, or UPVEST_N8N_VERSION).
 */
import { credentialFor } from '../../scripts/n8n-runtime';
import { chain, manualTrigger, workflow, workflowNode } from '../../scripts/workflows';
import { RUNS_ON, useN8nWithSimulator } from '../support/e2e';
import { startRecordingServer, startRedirectServer } from '../support/http-servers';

const EXECUTE_TIMEOUT = 120_000;
/** A token already stored in the credential, so the redirecting base URL needs no token endpoint. */
const STORED_TOKEN = 'ory_at_STORED_FOR_REDIRECT_TEST';

const SIMULATOR_CREDENTIAL = { id: 'UpvestSecCred0001', name: 'E2E security: simulator' };
const REDIRECT_CREDENTIAL = { id: 'UpvestSecCred0002', name: 'E2E security: redirecting base' };

type Recorder = Awaited<ReturnType<typeof startRecordingServer>>;

let elsewhere: Recorder;
let redirecting: Recorder;
let workflows = 0;

/** A workflow whose only node is the HTTP Request node calling `url` with the Upvest credential. */
function httpRequestWorkflow(
	method: string,
	url: string,
	credential: { id: string; name: string },
) {
	const id = `UpvestSecurity${String(++workflows).padStart(3, '0')}`;
	const request = workflowNode(
		'Call with Upvest credential',
		'n8n-nodes-base.httpRequest',
		4.2,
		[220, 0],
		{
			method,
			url,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'upvestApi',
			...(method === 'POST'
				? { sendBody: true, contentType: 'json', specifyBody: 'json', jsonBody: '{"a":1}' }
				: {}),
			options: {},
		},
		{ credentials: { upvestApi: credential } },
	);
	return workflow(
		id,
		`Security ${method} ${url}`,
		[manualTrigger(), request],
		chain('Start', request.name),
	);
}

/** Every call the tests make, imported in one go: one CLI import instead of one per call. */
const calls: Array<{ method: string; url: () => string; credential: typeof SIMULATOR_CREDENTIAL }> =
	[];
const workflowIds = new Map<string, string>();

function call(method: string, url: () => string, credential = SIMULATOR_CREDENTIAL) {
	calls.push({ method, url, credential });
	return `${method} ${calls.length}`;
}

async function runRequest(name: string) {
	return await setup.n8n.execute(String(workflowIds.get(name)), { timeoutMs: EXECUTE_TIMEOUT });
}

const simulatorPort = () => new URL(setup.sim.url).port;
/** The signed API calls (not token requests) the simulator has recorded so far, by every test. */
const apiCalls = () => setup.sim.requests.filter((record) => !record.tokenRequest);
const REFUSED = ['GET', 'POST'].flatMap((method) => [
	call(method, () => `${elsewhere.url}/account_groups`),
	call(method, () => `http://localhost:${simulatorPort()}/account_groups`),
	call(
		method,
		() =>
			`http://127.0.0.1:${simulatorPort()}@${elsewhere.url.slice('http://'.length)}/account_groups`,
	),
]);
const REDIRECTED = ['GET', 'POST'].map((method) =>
	call(method, () => `${redirecting.url}/account_groups`, REDIRECT_CREDENTIAL),
);
const OWN_BASE_URL = call('GET', () => `${setup.sim.url}/account_groups`);

// The servers the calls go to must exist before the credentials and workflows are built.
beforeAll(async () => {
	elsewhere = await startRecordingServer();
	redirecting = await startRedirectServer(elsewhere.url, 307);
});
afterAll(async () => {
	await redirecting?.close();
	await elsewhere?.close();
});

const setup = useN8nWithSimulator('e2e-security', {
	credentials: (sim) => {
		const redirectCredential = credentialFor(redirecting.url, 'ed25519', REDIRECT_CREDENTIAL);
		return [
			credentialFor(sim.url, 'ed25519', SIMULATOR_CREDENTIAL),
			{ ...redirectCredential, data: { ...redirectCredential.data, accessToken: STORED_TOKEN } },
		];
	},
	workflows: () =>
		calls.map(({ method, url, credential }, index) => {
			const workflowJson = httpRequestWorkflow(method, url(), credential);
			workflowIds.set(`${method} ${index + 1}`, workflowJson.id);
			return workflowJson;
		}),
});

describe(RUNS_ON, () => {
	test(
		'another port, another host name and userinfo: refused before sending, GET and POST',
		async () => {
			const before = apiCalls().length;
			for (const name of REFUSED) {
				const result = await runRequest(name);
				expect({ name, exitCode: result.exitCode }).toEqual({ name, exitCode: 1 });
				expect(`${result.error} ${result.stdout}`).toContain(
					`The Upvest credential signs only requests to its own base URL ${setup.sim.url}`,
				);
			}
			expect(elsewhere.requests).toHaveLength(0);
			// Only token requests reached the simulator: no signed API call of this test went anywhere.
			expect(apiCalls().slice(before)).toHaveLength(0);
		},
		8 * EXECUTE_TIMEOUT,
	);

	test(
		'a redirect from the base URL to another host is not followed',
		async () => {
			for (const name of REDIRECTED) await runRequest(name);
			// The base URL got both signed requests. After a failed request n8n's HTTP Request node
			// asks the credential for a new token; that request went to the base URL as well and was
			// not redirected either. The host the base URL redirects to got nothing at all.
			const calls = redirecting.requests.map((request) => `${request.method} ${request.url}`);
			expect(calls.filter((call) => call !== 'POST /auth/token')).toEqual([
				'GET /account_groups',
				'POST /account_groups',
			]);
			for (const request of redirecting.requests.filter((r) => r.url !== '/auth/token')) {
				expect((request.headers as Record<string, string>).authorization).toBe(
					`Bearer ${STORED_TOKEN}`,
				);
			}
			expect(elsewhere.requests).toHaveLength(0);
		},
		3 * EXECUTE_TIMEOUT,
	);

	test(
		'the credential’s own base URL works as before',
		async () => {
			const before = apiCalls().length;
			const result = await runRequest(OWN_BASE_URL);
			expect(result.exitCode).toBe(0);
			const made = apiCalls().slice(before);
			expect(made).toHaveLength(1);
			const [record] = made;
			expect(record).toMatchObject({ path: '/account_groups', status: 200 });
			expect(record.signature?.valid).toBe(true);
		},
		2 * EXECUTE_TIMEOUT,
	);
});
