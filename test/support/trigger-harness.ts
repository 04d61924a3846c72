/**
 * Runs the Upvest Trigger in-process through n8n-core's real HookContext and WebhookContext, as
 * n8n's WebhookService does: activation is checkExists then create, deactivation is delete, and
 * each delivery to the receiver's URL runs webhook() with the raw request and response. Around it,
 * what n8n's server adds: static data loaded per request from a stored copy and saved after the
 * answer (when changed), the 200 answer for onReceived, and a record of the executions started.
 */
import { HookContext, WebhookContext } from 'n8n-core';
import {
	deepCopy,
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { UpvestTrigger } from '../../nodes/Upvest/UpvestTrigger.node';
import { CredentialStore } from './n8n-harness';
import { credentialData, type PooledSimulator } from './simulator';
import { startWebhookReceiver } from './webhook-receiver';

export const TRIGGER_NODE_TYPE = 'n8n-nodes-upvest.upvestTrigger';
const WEBHOOK_ID = 'a4f0e8d2-5b1c-4c3e-9f7a-2d6b8e1c0f35';

interface ReceivedRequest {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	rawBody: Buffer;
}

interface ExpressLikeResponse {
	headersSent: boolean;
	status(code: number): ExpressLikeResponse;
	json(value: unknown): ExpressLikeResponse;
}

export interface Execution {
	mode: WorkflowExecuteMode;
	items: IDataObject[];
}

/** One answer the trigger (or the emulated n8n around it) gave, in arrival order. */
export interface Answer {
	mode: WorkflowExecuteMode;
	result: IWebhookResponseData;
}

class TriggerNodeTypes implements INodeTypes {
	constructor(private readonly node: INodeType) {}

	getByName() {
		return this.node;
	}

	getByNameAndVersion() {
		return this.node;
	}

	getKnownTypes() {
		return {};
	}
}

export interface TriggerHarnessOptions {
	credentials: CredentialStore;
	parameters: INodeParameters;
	workflowName?: string;
	/** The public base URL n8n would put in webhook URLs (WEBHOOK_URL); default the receiver's. */
	publicBaseUrl?: string;
}

/** A credential for this test's pool client; tokens are cached per client and scopes. */
export function triggerCredentials(
	suite: PooledSimulator,
	scopes = 'webhooks:admin',
	overrides: IDataObject = {},
): CredentialStore {
	return new CredentialStore({
		...credentialData(suite.sim),
		clientId: suite.client.clientId,
		clientSecret: suite.client.clientSecret,
		keyId: suite.client.ecdsaKeyId,
		scopes,
		...overrides,
	});
}

export class TriggerHarness {
	readonly executions: Execution[] = [];

	readonly answers: Answer[] = [];

	readonly nodeType = new UpvestTrigger();

	/** The workflow's static data as n8n's database holds it. */
	storedStaticData: IDataObject = {};

	/** When false, static data is not saved after a delivery (a save still pending). */
	saveStaticData = true;

	private testStaticData: IDataObject | undefined;

	private readonly node: INode;

	private constructor(
		private readonly options: TriggerHarnessOptions,
		private readonly receiverUrl: string,
		readonly close: () => Promise<void>,
	) {
		this.node = {
			id: 'b7c1d9e0-0000-4000-8000-000000000002',
			name: 'Upvest Trigger',
			type: TRIGGER_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: WEBHOOK_ID,
			parameters: options.parameters,
			credentials: { upvestApi: { id: 'cred-upvest-1', name: 'Upvest test credential' } },
		};
	}

	static async start(options: TriggerHarnessOptions): Promise<TriggerHarness> {
		// The receiver must exist first: the harness needs its URL.
		const started: { harness?: TriggerHarness } = {};
		const receiver = await startWebhookReceiver(
			async (request: ReceivedRequest, response: ExpressLikeResponse) =>
				await started.harness?.receive(request, response),
		);
		started.harness = new TriggerHarness(options, receiver.url, receiver.close);
		return started.harness;
	}

	private get publicBaseUrl(): string {
		return (this.options.publicBaseUrl ?? this.receiverUrl).replace(/\/$/, '');
	}

	/** The production URL n8n registers on activation. */
	get webhookUrl(): string {
		return `${this.publicBaseUrl}/webhook/${WEBHOOK_ID}/webhook`;
	}

	get testWebhookUrl(): string {
		return `${this.publicBaseUrl}/webhook-test/${WEBHOOK_ID}/webhook`;
	}

	/** Edits the node, as saving the workflow in the editor does. */
	setParameters(parameters: INodeParameters): void {
		this.node.parameters = parameters;
	}

	/** The workflow as n8n builds it for one request or activation, static data from `staticData`. */
	workflow(staticData: IDataObject = this.storedStaticData): Workflow {
		return new Workflow({
			id: 'upvest-trigger-test',
			name: this.options.workflowName ?? 'Upvest trigger test',
			nodes: [deepCopy(this.node)],
			connections: {},
			active: true,
			nodeTypes: new TriggerNodeTypes(this.nodeType),
			staticData: deepCopy(staticData),
			settings: { executionOrder: 'v1' },
		});
	}

	private additionalData(extra: IDataObject = {}): IWorkflowExecuteAdditionalData {
		return {
			credentialsHelper: this.options.credentials,
			currentNodeExecutionIndex: 0,
			restApiUrl: `${this.publicBaseUrl}/rest`,
			instanceBaseUrl: `${this.publicBaseUrl}/`,
			formWaitingBaseUrl: '',
			webhookBaseUrl: `${this.publicBaseUrl}/webhook`,
			webhookWaitingBaseUrl: `${this.publicBaseUrl}/webhook-waiting`,
			webhookTestBaseUrl: `${this.publicBaseUrl}/webhook-test`,
			variables: {},
			logAiEvent: () => {},
			...extra,
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	private webhookData(
		workflow: Workflow,
		isTest: boolean,
		additionalData: IWorkflowExecuteAdditionalData,
	): IWebhookData {
		const description = this.nodeType.description.webhooks?.[0];
		if (description === undefined) throw new Error('the trigger describes no webhook');
		return {
			httpMethod: 'POST',
			node: this.node.name,
			path: `${WEBHOOK_ID}/webhook`,
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: WEBHOOK_ID,
			isTest,
		};
	}

	/** Runs one webhook method through a real HookContext on the given workflow. */
	async runHook(
		method: 'checkExists' | 'create' | 'delete',
		workflow: Workflow,
		mode: WorkflowExecuteMode,
		activation: WorkflowActivateMode,
	): Promise<boolean> {
		const additionalData = this.additionalData();
		const webhookData = this.webhookData(workflow, mode === 'manual', additionalData);
		const node = workflow.getNode(this.node.name) as INode;
		const context = new HookContext(workflow, node, additionalData, mode, activation, webhookData);
		const fn = this.nodeType.webhookMethods.default[method];
		return await fn.call(context);
	}

	/** Activation as n8n's WebhookService does it: checkExists, then create if needed; saves static data. */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<void> {
		const workflow = this.workflow(this.storedStaticData);
		try {
			if (!(await this.runHook('checkExists', workflow, 'webhook', activation))) {
				await this.runHook('create', workflow, 'webhook', activation);
			}
		} finally {
			this.storedStaticData = deepCopy(workflow.staticData);
		}
	}

	async deactivate(): Promise<boolean> {
		const workflow = this.workflow(this.storedStaticData);
		const deleted = await this.runHook('delete', workflow, 'internal', 'update');
		this.storedStaticData = deepCopy(workflow.staticData);
		return deleted;
	}

	/** "Listen for test event": the test URL is registered; its static data lives with the registration. */
	async listenForTestEvent(): Promise<void> {
		const workflow = this.workflow(this.storedStaticData);
		if (!(await this.runHook('checkExists', workflow, 'manual', 'manual'))) {
			await this.runHook('create', workflow, 'manual', 'manual');
		}
		this.testStaticData = deepCopy(workflow.staticData);
	}

	async stopListening(): Promise<boolean> {
		const workflow = this.workflow(this.testStaticData ?? {});
		this.testStaticData = undefined;
		return await this.runHook('delete', workflow, 'manual', 'manual');
	}

	/** The node's part of the stored static data. */
	get nodeStaticData(): IDataObject {
		return (this.storedStaticData[`node:${this.node.name}`] ?? {}) as IDataObject;
	}

	private async receive(request: ReceivedRequest, response: ExpressLikeResponse): Promise<void> {
		const isTest = request.path.startsWith('/webhook-test/');
		if (request.path !== new URL(isTest ? this.testWebhookUrl : this.webhookUrl).pathname) {
			response.status(404).json({ message: 'webhook not registered' });
			return;
		}
		if (isTest && this.testStaticData === undefined) {
			response.status(404).json({ message: 'not listening for a test event' });
			return;
		}
		const mode: WorkflowExecuteMode = isTest ? 'manual' : 'webhook';
		const workflow = this.workflow(
			isTest ? (this.testStaticData as IDataObject) : this.storedStaticData,
		);
		const additionalData = this.additionalData({ httpRequest: request, httpResponse: response });
		const webhookData = this.webhookData(workflow, isTest, additionalData);
		const node = workflow.getNode(this.node.name) as INode;
		const context = new WebhookContext(workflow, node, additionalData, mode, webhookData, [], null);
		const result = await this.nodeType.webhook.call(context);
		this.answers.push({ mode, result });
		if (result.noWebhookResponse !== true) {
			response.status(200).json(result.webhookResponse ?? { message: 'Workflow was started' });
		}
		// n8n saves changed static data once the answer is sent, then runs the workflow.
		if (this.saveStaticData && (workflow.staticData as { __dataChanged?: boolean }).__dataChanged) {
			if (isTest) this.testStaticData = deepCopy(workflow.staticData);
			else this.storedStaticData = deepCopy(workflow.staticData);
		}
		const items = result.workflowData?.[0] ?? [];
		if (result.workflowData !== undefined) {
			this.executions.push({ mode, items: items.map((item: INodeExecutionData) => item.json) });
		}
	}
}
