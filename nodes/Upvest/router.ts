import {
	NodeOperationError,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { CreateOnce } from './helpers/createOnce';
import { runWorkerPool } from './helpers/workerPool';
import type { PreparedCall, UpvestOperation, UpvestOperations, UpvestResource } from './node.type';
import * as account from './resources/account';
import * as accountGroup from './resources/accountGroup';
import * as business from './resources/business';
import * as role from './resources/role';
import * as taxResidency from './resources/taxResidency';
import * as user from './resources/user';
import * as userCheck from './resources/userCheck';
import * as userIdentifier from './resources/userIdentifier';
import { derivedIdempotencyKey, readIdempotencyKey } from './shared/idempotency';
import { readBatchOptions } from './shared/options';
import { validateCredentials } from './transport/authentication';
import {
	decryptCredentials,
	RequestThrottle,
	upvestApiRequest,
	upvestApiRequestAllItems,
	type RetryPolicy,
	type UpvestRequestOptions,
} from './transport';

const operations: UpvestOperations = {
	account: {
		create: account.create,
		get: account.get,
		getAll: account.getAll,
		update: account.update,
		close: account.close,
	},
	accountGroup: {
		create: accountGroup.create,
		get: accountGroup.get,
		getAll: accountGroup.getAll,
		close: accountGroup.close,
	},
	business: {
		create: business.create,
		get: business.get,
		getAll: business.getAll,
		submitKyb: business.submitKyb,
	},
	role: {
		create: role.create,
		get: role.get,
		getAll: role.getAll,
		deactivate: role.deactivate,
	},
	taxResidency: { set: taxResidency.set, get: taxResidency.get },
	user: { create: user.create, get: user.get, getAll: user.getAll, offboard: user.offboard },
	userCheck: { create: userCheck.create, get: userCheck.get, getAll: userCheck.getAll },
	userIdentifier: { create: userIdentifier.create, getAll: userIdentifier.getAll },
};

function findOperation(resource: string, operation: string): UpvestOperation | undefined {
	const byOperation = operations[resource as UpvestResource] as
		| Record<string, UpvestOperation>
		| undefined;
	return byOperation?.[operation];
}

/** What a whole run shares: options, the credential (decrypted and checked once), the throttle. */
interface RunContext {
	concurrency: number;
	policy: RetryPolicy;
	credentials: ICredentialsDecrypted;
	clientId: string;
	throttle: RequestThrottle;
	createOnce: CreateOnce;
}

async function readRunContext(this: IExecuteFunctions): Promise<RunContext> {
	const { concurrency, policy } = readBatchOptions(this);
	// Decrypted once per run instead of once per request; n8n stores a refreshed token in it.
	const credentials = await decryptCredentials.call(this);
	const { clientId } = validateCredentials(credentials.data ?? {});
	return {
		concurrency,
		policy,
		credentials,
		clientId,
		throttle: new RequestThrottle(),
		createOnce: new CreateOnce(),
	};
}

interface ItemCall extends PreparedCall {
	idempotencyKey?: string;
	/** Set for creates looked up by `existing`: equal keys create the same resource. */
	sameCreateKey?: string;
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

async function send(this: IExecuteFunctions, call: ItemCall, itemIndex: number, run: RunContext) {
	const options: UpvestRequestOptions = {
		credentials: run.credentials,
		idempotencyKey: call.idempotencyKey,
		itemIndex,
		policy: run.policy,
		throttle: run.throttle,
		scopes: call.scopes,
		advice: call.advice,
	};
	if (call.paging !== undefined) {
		return await upvestApiRequestAllItems.call(this, call.request, call.paging, options);
	}
	const shape = (answer: IDataObject, found = false) =>
		call.output === undefined ? answer : call.output(answer, found);
	if (call.existing === undefined || call.sameCreateKey === undefined) {
		return shape(await upvestApiRequest.call(this, call.request, options));
	}
	const { answer, found } = await run.createOnce.send(
		this,
		call.sameCreateKey,
		call.request,
		call.existing,
		options,
	);
	return shape(answer, found);
}

/**
 * Runs the chosen operation for every input item: every item is read and validated before
 * anything is sent, then the calls go out through a bounded pool, and the output keeps the
 * input order with each result paired to its item.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const selected = findOperation(resource, operation);
	if (selected === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" on "${resource}" is not supported`,
		);
	}

	let run: RunContext;
	try {
		run = await readRunContext.call(this);
	} catch (error) {
		// Nothing can be sent in this run: with Continue On Fail every item says why.
		if (this.continueOnFail()) {
			return [items.map((_, itemIndex) => errorItem(error as Error, itemIndex))];
		}
		throw new NodeOperationError(this.getNode(), error as Error, {
			description: (error as { description?: string }).description,
		});
	}

	// An invalid item never reaches Upvest; without Continue On Fail it stops the run before any
	// resource exists.
	const output: INodeExecutionData[][] = items.map(() => []);
	const calls: Array<ItemCall | undefined> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const call: ItemCall = selected.prepare.call(this, itemIndex);
			if (call.existing !== undefined) {
				call.sameCreateKey = derivedIdempotencyKey(run.clientId, call.request);
			} else if (call.creates) {
				call.idempotencyKey = readIdempotencyKey(this, itemIndex, call.request, run.clientId);
			}
			calls.push(call);
		} catch (error) {
			if (!this.continueOnFail()) {
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			}
			calls.push(undefined);
			output[itemIndex] = [errorItem(error as Error, itemIndex)];
		}
	}

	const queue = calls.flatMap((call, itemIndex) => (call === undefined ? [] : [itemIndex]));
	const failures = new Map<number, Error>();
	await runWorkerPool(
		queue.length,
		run.concurrency,
		async (position) => {
			const itemIndex = queue[position];
			try {
				const result = await send.call(this, calls[itemIndex] as ItemCall, itemIndex, run);
				output[itemIndex] = this.helpers.constructExecutionMetaData(
					this.helpers.returnJsonArray(result),
					{ itemData: { item: itemIndex } },
				);
			} catch (error) {
				if (this.continueOnFail()) output[itemIndex] = [errorItem(error as Error, itemIndex)];
				else failures.set(itemIndex, error as Error);
			}
		},
		() => failures.size > 0,
	);

	if (failures.size > 0) {
		// Already a NodeApiError carrying the item index and Upvest's problem details.
		throw failures.get(Math.min(...failures.keys())) as Error;
	}
	return [output.flat()];
}
