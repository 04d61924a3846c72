/**
 * Runs the Upvest node in-process through n8n-core's real WorkflowExecute: real parameter and
 * expression resolution, real continueOnFail, real httpRequestWithAuthentication (axios on the
 * wire). Only the credential store is ours; it follows n8n's CLI CredentialsHelper: the
 * expirable token is fetched by preAuthentication when empty or rejected, then persisted.
 */
import { ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } from 'n8n-core';
import {
	createDeferredPromise,
	createRunExecutionData,
	ICredentialsHelper,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type IDataObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWorkflowExecuteAdditionalData,
	type IVersionedNodeType,
} from 'n8n-workflow';

import { UpvestApi } from '../../credentials/UpvestApi.credentials';
import { Upvest } from '../../nodes/Upvest/Upvest.node';

export const NODE_TYPE = 'n8n-nodes-upvest.upvest';
const CREDENTIAL_REF = { id: 'cred-upvest-1', name: 'Upvest test credential' };

export class CredentialStore extends ICredentialsHelper {
	readonly credentialType = new UpvestApi();

	/** What preAuthentication and authenticate were asked to do, for assertions. */
	readonly calls = { preAuthentication: 0, tokenRefreshes: 0, updates: 0 };

	constructor(public data: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		requestOptions: IHttpRequestOptions,
	) {
		return await this.credentialType.authenticate(credentials, requestOptions);
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	) {
		if (
			credentials.accessToken !== '' &&
			credentials.accessToken !== undefined &&
			!credentialsExpired
		)
			return undefined;
		this.calls.preAuthentication++;
		if (credentialsExpired) this.calls.tokenRefreshes++;
		const output = await this.credentialType.preAuthentication.call(helpers, credentials);
		await this.updateCredentials(CREDENTIAL_REF, 'upvestApi', { ...credentials, ...output });
		return Object.assign(credentials, output);
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by the node');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		// A fresh copy each time, as n8n decrypts from its database on every call.
		return { ...this.data };
	}

	async updateCredentials(
		_ref: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	) {
		this.calls.updates++;
		this.data = { ...data };
	}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(): INodeProperties[] {
		return this.credentialType.properties;
	}
}

class SingleNodeTypes implements INodeTypes {
	private readonly node = new Upvest();

	getByName(): INodeType | IVersionedNodeType {
		return this.node;
	}

	getByNameAndVersion(): INodeType {
		return this.node;
	}

	getKnownTypes() {
		return {};
	}
}

export interface RunResult {
	run: IRun;
	/** The Upvest node's output items (main output 0), or [] when the node failed. */
	items: INodeExecutionData[];
	/** The node's error, when it failed. */
	error?: Error & { description?: string; httpCode?: string; context?: IDataObject };
}

export async function runUpvestNode(options: {
	parameters: INodeParameters;
	items: IDataObject[];
	credentials: CredentialStore;
	continueOnFail?: boolean;
}): Promise<RunResult> {
	const node: INode = {
		id: 'e6f0c1c2-0000-4000-8000-000000000001',
		name: 'Upvest',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: { upvestApi: CREDENTIAL_REF },
		onError: options.continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
	};
	const workflow = new Workflow({
		id: 'upvest-test',
		nodes: [node],
		connections: {},
		nodeTypes: new SingleNodeTypes(),
		active: false,
		settings: { executionOrder: 'v1' },
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
		id: 'upvest-test',
		name: 'Upvest test',
		nodes: [node],
		connections: {},
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as unknown as ConstructorParameters<typeof ExecutionLifecycleHooks>[2]);
	const finished = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => finished.resolve(fullRunData));

	const additionalData = {
		hooks,
		credentialsHelper: options.credentials,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: '',
		webhookBaseUrl: '',
		webhookWaitingBaseUrl: '',
		webhookTestBaseUrl: '',
		variables: {},
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node, data: { main: [options.items.map((json) => ({ json }))] }, source: null },
			],
		},
	});

	await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(
		workflow,
	);
	const run = await finished.promise;
	const taskData = run.data.resultData.runData.Upvest?.[0];
	return {
		run,
		items: taskData?.data?.main?.[0] ?? [],
		error: (taskData?.error ?? run.data.resultData.error) as RunResult['error'],
	};
}

/** The Upvest node's list-search methods (the "From list" mode of its ID fields). */
export type ListSearchMethod = keyof Upvest['methods']['listSearch'];

/**
 * Calls a list-search method as the editor does: through n8n-core's real LoadOptionsContext and
 * request helper, with the credential from `credentials`.
 */
export async function runListSearch(
	method: ListSearchMethod,
	credentials: CredentialStore,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const node: INode = {
		id: 'e6f0c1c2-0000-4000-8000-000000000002',
		name: 'Upvest',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { upvestApi: CREDENTIAL_REF },
	};
	const workflow = new Workflow({
		id: 'upvest-list-search',
		nodes: [node],
		connections: {},
		nodeTypes: new SingleNodeTypes(),
		active: false,
	});
	const additionalData = {
		credentialsHelper: credentials,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters');
	return await new Upvest().methods.listSearch[method].call(context, filter, paginationToken);
}
