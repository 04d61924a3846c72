/**
 * The trigger's webhook subscription at Upvest (`/webhooks`, scope `webhooks:admin`). One
 * subscription per webhook URL: activation reuses the one already registered for n8n's URL
 * (after a restart, a re-activation or an edit) and updates its categories instead of creating a
 * second, and removes any extra ones for the same URL.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type NodeApiError,
} from 'n8n-workflow';

import { upvestApiRequest, upvestApiRequestAllItems } from '../transport';
import { UPVEST_CREDENTIAL_TYPE } from '../transport/credentials';
import { changesFor, createBody, readSubscription } from './subscription';
import { publicUrlAdvice, publicUrlProblem } from './webhookUrl';

const ADMIN_SCOPE = { scopes: ['webhooks:admin'] };
/** Upvest's rule for subscription titles: 1 to 32 of these characters (docs/endpoints.md). */
const MAX_TITLE_LENGTH = 32;
const TITLE_UNSAFE = /[^a-zA-Z0-9 ()[\]{}.-]+/g;

/** `n8n <workflow name>`, cut to the characters and length Upvest accepts for a title. */
export function subscriptionTitle(
	workflowName: string | undefined,
	workflowId: string | undefined,
) {
	const name = (workflowName ?? `workflow ${workflowId ?? ''}`).replace(TITLE_UNSAFE, ' ');
	return `n8n ${name}`.replace(/\s+/g, ' ').trim().slice(0, MAX_TITLE_LENGTH).trim();
}

/** What the trigger keeps in the node's static data. */
export interface TriggerStaticData extends IDataObject {
	webhookId?: string;
	/** The URL registered, test or production: `@path` and `@query` are verified against it. */
	webhookUrl?: string;
}

function webhookUrlOf(context: IHookFunctions): string {
	const url = context.getNodeWebhookUrl('default');
	if (url === undefined) {
		throw new NodeOperationError(context.getNode(), 'n8n did not give this trigger a webhook URL');
	}
	return url;
}

function normalizedUrl(url: unknown): string | undefined {
	if (typeof url !== 'string') return undefined;
	try {
		return new URL(url).href;
	} catch {
		return url;
	}
}

function subscriptionPath(id: string): string {
	return `/webhooks/${encodeURIComponent(id)}`;
}

async function subscriptionsFor(context: IHookFunctions, webhookUrl: string) {
	const all = await upvestApiRequestAllItems.call(
		context,
		{ method: 'GET', path: '/webhooks' },
		{ returnAll: true },
		ADMIN_SCOPE,
	);
	const wanted = normalizedUrl(webhookUrl);
	return all.filter(
		(subscription) =>
			typeof subscription.id === 'string' && normalizedUrl(subscription.url) === wanted,
	) as Array<IDataObject & { id: string }>;
}

/** Deletes a subscription; one that is already gone counts as deleted. */
async function deleteSubscription(context: IHookFunctions, id: string): Promise<void> {
	// Already a NodeApiError from the transport; only "not found" is fine here.
	const failure = await upvestApiRequest
		.call(context, { method: 'DELETE', path: subscriptionPath(id) }, ADMIN_SCOPE)
		.then(
			() => undefined,
			(error: NodeApiError) => error,
		);
	if (failure !== undefined && failure.httpCode !== '404') throw failure;
}

/**
 * Upvest refuses non-public URLs with a bare 400; this says why and how to fix it, before any
 * call. The Custom environment (the local simulator, or a proxy) takes any URL.
 */
async function assertReachableUrl(context: IHookFunctions, webhookUrl: string): Promise<void> {
	const credentials = await context.getCredentials(UPVEST_CREDENTIAL_TYPE);
	if (credentials.environment === 'custom') return;
	const problem = publicUrlProblem(webhookUrl);
	if (problem !== undefined) {
		throw new NodeOperationError(context.getNode(), publicUrlAdvice(webhookUrl, problem));
	}
}

export async function checkExists(this: IHookFunctions): Promise<boolean> {
	const webhookUrl = webhookUrlOf(this);
	const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
	const subscription = readSubscription(this);
	await assertReachableUrl(this, webhookUrl);
	const mine = await subscriptionsFor(this, webhookUrl);
	if (mine.length === 0) {
		delete staticData.webhookId;
		return false;
	}
	const kept = mine.find((subscription) => subscription.id === staticData.webhookId) ?? mine[0];
	// Two subscriptions for one URL would deliver every event twice.
	for (const extra of mine) if (extra !== kept) await deleteSubscription(this, extra.id);

	const changes = changesFor(kept, subscription);
	if (Object.keys(changes).length > 0) {
		await upvestApiRequest.call(
			this,
			{ method: 'PATCH', path: subscriptionPath(kept.id), body: changes },
			ADMIN_SCOPE,
		);
	}
	staticData.webhookId = kept.id;
	staticData.webhookUrl = webhookUrl;
	return true;
}

export async function create(this: IHookFunctions): Promise<boolean> {
	const webhookUrl = webhookUrlOf(this);
	const subscription = readSubscription(this);
	await assertReachableUrl(this, webhookUrl);
	const workflow = this.getWorkflow();
	const title = subscriptionTitle(workflow.name, workflow.id);
	const created = await upvestApiRequest.call(
		this,
		{ method: 'POST', path: '/webhooks', body: createBody(subscription, title, webhookUrl) },
		{
			...ADMIN_SCOPE,
			// Upvest takes no idempotency key here: a resend after a lost answer first looks for
			// the subscription the lost attempt created, so there is never a second one.
			beforeResend: async () => (await subscriptionsFor(this, webhookUrl))[0],
		},
	);
	if (typeof created.id !== 'string' || created.id === '') {
		throw new NodeOperationError(
			this.getNode(),
			'Upvest created the webhook subscription but its answer holds no id',
		);
	}
	const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
	staticData.webhookId = created.id;
	staticData.webhookUrl = webhookUrl;
	return true;
}

export async function remove(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
	try {
		const ids =
			typeof staticData.webhookId === 'string'
				? [staticData.webhookId]
				: (await subscriptionsFor(this, webhookUrlOf(this))).map((subscription) => subscription.id);
		for (const id of ids) await deleteSubscription(this, id);
	} catch {
		// Kept in static data, so the next activation finds and reuses it.
		return false;
	}
	delete staticData.webhookId;
	delete staticData.webhookUrl;
	return true;
}
