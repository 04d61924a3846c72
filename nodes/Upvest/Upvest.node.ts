import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as accountGroup from './resources/accountGroup';
import * as role from './resources/role';
import * as options from './shared/options';
import { validateCredentials } from './transport/authentication';
import { UPVEST_CREDENTIAL_TYPE } from './transport/credentials';
import { RequestThrottle, upvestApiRequest, type UpvestRequest } from './transport/request';

type RequestBuilder = (this: IExecuteFunctions, itemIndex: number) => UpvestRequest;

const builders: Record<string, Record<string, RequestBuilder>> = {
	accountGroup: { create: accountGroup.create.buildRequest },
	role: { create: role.create.buildRequest },
};

/** Node-level settings, read once: options and the credential (validated, key parsed). */
async function readRunSettings(this: IExecuteFunctions) {
	const { concurrency, policy } = options.readBatchOptions(this);
	// Decrypted once per run instead of once per request; n8n stores a refreshed token in it.
	const data = await this.getCredentials(UPVEST_CREDENTIAL_TYPE);
	const { baseUrl } = validateCredentials(data);
	const reference = this.getNode().credentials?.[UPVEST_CREDENTIAL_TYPE];
	const credentials: ICredentialsDecrypted = {
		id: reference?.id ?? '',
		name: reference?.name ?? '',
		type: UPVEST_CREDENTIAL_TYPE,
		data,
	};
	return { concurrency, policy, baseUrl, credentials };
}

interface PreparedItem {
	request: UpvestRequest;
	idempotencyKey: string;
}

function errorItem(
	error: Error & { description?: string | null; httpCode?: string | null },
	itemIndex: number,
): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (error.httpCode) json.httpCode = error.httpCode;
	return { json, pairedItem: { item: itemIndex } };
}

export class Upvest implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Upvest',
		name: 'upvest',
		icon: { light: 'file:../../icons/upvest.svg', dark: 'file:../../icons/upvest.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["resource"] === "role" ? "Create role" : "Create account group" }}',
		description: 'Create account groups and roles with the Upvest Investment API',
		defaults: { name: 'Upvest' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: UPVEST_CREDENTIAL_TYPE, required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Account Group', value: 'accountGroup' },
					{ name: 'Role', value: 'role' },
				],
				default: 'accountGroup',
			},
			...accountGroup.description,
			...role.description,
			...options.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		const buildRequest = builders[resource]?.[operation];
		if (buildRequest === undefined) {
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${operation}" on "${resource}" is not supported`,
			);
		}
		let settings: Awaited<ReturnType<typeof readRunSettings>>;
		try {
			settings = await readRunSettings.call(this);
		} catch (error) {
			// Nothing can be sent in this run: with Continue On Fail every item says why.
			if (this.continueOnFail())
				return [items.map((_, itemIndex) => errorItem(error as Error, itemIndex))];
			throw new NodeOperationError(this.getNode(), error as Error, {
				description: (error as { description?: string }).description,
			});
		}
		const { concurrency, policy, baseUrl, credentials } = settings;

		// Validate every item before anything is sent: an invalid item never reaches Upvest,
		// and without Continue On Fail a bad item stops the run before any resource exists.
		const output: INodeExecutionData[][] = items.map(() => []);
		const prepared: Array<PreparedItem | undefined> = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const request = buildRequest.call(this, itemIndex);
				const idempotencyKey = options.readIdempotencyKey(this, itemIndex, request.path);
				prepared.push({ request, idempotencyKey });
			} catch (error) {
				if (!this.continueOnFail()) {
					throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
				}
				prepared.push(undefined);
				output[itemIndex] = [errorItem(error as Error, itemIndex)];
			}
		}

		const throttle = new RequestThrottle();
		const failures = new Map<number, Error>();
		const send = async (itemIndex: number) => {
			const item = prepared[itemIndex] as PreparedItem;
			try {
				const response = await upvestApiRequest.call(this, item.request, {
					baseUrl,
					credentials,
					idempotencyKey: item.idempotencyKey,
					itemIndex,
					policy,
					throttle,
				});
				output[itemIndex] = this.helpers.constructExecutionMetaData(
					this.helpers.returnJsonArray(response),
					{
						itemData: { item: itemIndex },
					},
				);
			} catch (error) {
				if (this.continueOnFail()) output[itemIndex] = [errorItem(error as Error, itemIndex)];
				else failures.set(itemIndex, error as Error);
			}
		};

		const queue = prepared.flatMap((item, itemIndex) => (item === undefined ? [] : [itemIndex]));
		// The first request goes alone: it fetches the access token that all later requests share.
		if (queue.length > 0) await send(queue[0]);
		let next = 1;
		const worker = async () => {
			while (next < queue.length && failures.size === 0) await send(queue[next++]);
		};
		await Promise.all(
			Array.from({ length: Math.max(0, Math.min(concurrency, queue.length - 1)) }, worker),
		);

		if (failures.size > 0) {
			// Already a NodeApiError carrying the item index and Upvest's problem details.
			throw failures.get(Math.min(...failures.keys())) as Error;
		}
		return [output.flat()];
	}
}
