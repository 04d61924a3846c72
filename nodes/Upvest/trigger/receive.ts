/**
 * One webhook delivery from Upvest: verify it (fail closed: 401 naming the check, no execution),
 * then pass on its new, chosen events as one item each, oldest first. The answer is sent as soon
 * as the delivery is verified (responseMode onReceived): a slow workflow never makes Upvest retry,
 * and a failed delivery would block every later one at Upvest.
 */
import type {
	IDataObject,
	IWebhookFunctions,
	IWebhookResponseData,
	NodeParameterValueType,
} from 'n8n-workflow';

import { upvestApiRequest, type RetryPolicy } from '../transport';
import { UPVEST_CREDENTIAL_TYPE, resolveBaseUrl } from '../transport/credentials';
import { fail, type Failure } from './checks';
import { eventsOf, isSelected, parseDelivery, sortByCreatedAt } from './delivery';
import { readTriggerOptions } from './description';
import type { TriggerStaticData } from './registration';
import { ReplayGuard } from './replayGuard';
import { dropSeenEvents, SeenEventsMemory, type SeenEventRecord } from './seenEvents';
import { verifyDelivery } from './verifyDelivery';
import { VerifyKeyCache } from './verifyKeys';

/** Shared by every Upvest Trigger in this n8n process. */
export const verifyKeyCache = new VerifyKeyCache();
export const replayGuard = new ReplayGuard();
export const seenEventsMemory = new SeenEventsMemory();

/** Upvest waits for the answer: a key fetch gets one quick retry, not the node's full backoff. */
const KEY_FETCH_POLICY: RetryPolicy = { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 1_000 };

interface SeenEventsStaticData extends TriggerStaticData {
	seenEvents?: SeenEventRecord;
}

function refuse(context: IWebhookFunctions, failure: Failure, status = 401): IWebhookResponseData {
	const cause = failure.cause as { message?: string; description?: string } | undefined;
	context.logger.warn(`Upvest Trigger refused a delivery (${failure.check}): ${failure.reason}`, {
		cause: cause ? [cause.message, cause.description].filter(Boolean).join(' — ') : undefined,
	});
	context
		.getResponseObject()
		.status(status)
		.json({
			error:
				status === 401 ? 'Webhook signature verification failed' : 'Webhook delivery unreadable',
			check: failure.check,
			reason: failure.reason,
		});
	return { noWebhookResponse: true };
}

async function rawBodyOf(context: IWebhookFunctions): Promise<Buffer | undefined> {
	const request = context.getRequestObject();
	if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === 'function') {
		await request.readRawBody();
	}
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
}

/**
 * The URL Upvest was given: in production n8n's webhook URL; for "Listen for test event" the test
 * URL that the registration stored (the webhook context only knows the production one).
 */
function registeredUrl(context: IWebhookFunctions): URL {
	const stored = (context.getWorkflowStaticData('node') as TriggerStaticData).webhookUrl;
	const url =
		context.getMode() === 'manual' && typeof stored === 'string'
			? stored
			: context.getNodeWebhookUrl('default');
	return new URL(url ?? '');
}

async function verify(context: IWebhookFunctions, body: Buffer, now: number, tolerance: number) {
	const credentials = await context.getCredentials(UPVEST_CREDENTIAL_TYPE);
	const reference = context.getNode().credentials?.[UPVEST_CREDENTIAL_TYPE];
	// Keys are cached per credential and environment: another environment has other keys.
	const scope = `${reference?.id ?? ''}|${resolveBaseUrl(credentials)}|${String(credentials.clientId)}`;
	const fetchKeys = async () =>
		await upvestApiRequest.call(
			context,
			{ method: 'GET', path: '/auth/verify_keys' },
			{ scopes: ['webhooks:read', 'webhooks:admin'], policy: KEY_FETCH_POLICY },
		);
	const request = context.getRequestObject();
	return await verifyDelivery(
		{ method: request.method, url: registeredUrl(context), headers: request.headers, body },
		{
			lookupKey: async (keyId) => await verifyKeyCache.lookup(scope, keyId, fetchKeys),
			replayGuard,
			toleranceSeconds: tolerance,
			now,
		},
	);
}

function stringList(value: NodeParameterValueType | object): string[] {
	return Array.isArray(value)
		? value.filter((entry): entry is string => typeof entry === 'string')
		: [];
}

export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const options = readTriggerOptions(this.getNodeParameter('options', {}) as IDataObject);
	const now = Math.floor(Date.now() / 1000);
	const body = await rawBodyOf(this);
	if (body === undefined) return refuse(this, fail('body', 'the raw request body is unavailable'));

	if (!options.skipSignatureVerification) {
		const verified = await verify(this, body, now, options.toleranceSeconds);
		if (!verified.ok) return refuse(this, verified);
	}
	const parsedByN8n = this.getBodyData();
	const parsed = Array.isArray(parsedByN8n?.payload) ? eventsOf(parsedByN8n) : parseDelivery(body);
	if (!parsed.ok) return refuse(this, parsed, 400);

	const selection = {
		categories: stringList(this.getNodeParameter('categories', [])),
		eventTypes: stringList(this.getNodeParameter('eventTypes', [])),
		testEvents: this.getMode() === 'manual',
	};
	const chosen = sortByCreatedAt(parsed.value).filter((event) => isSelected(event, selection));
	const staticData = this.getWorkflowStaticData('node') as SeenEventsStaticData;
	const persistent = staticData.seenEvents ?? {};
	const node = this.getNode();
	const memory = seenEventsMemory.forNode(`${this.getMode()}|${this.getWorkflow().id}|${node.id}`);
	const fresh = dropSeenEvents(chosen, { persistent, memory }, now);
	// Assigned again so n8n sees the change and saves the static data after answering.
	if (fresh.length > 0) staticData.seenEvents = persistent;

	const webhookResponse = { received: parsed.value.length, passedOn: fresh.length };
	if (fresh.length === 0) return { webhookResponse };
	return { webhookResponse, workflowData: [this.helpers.returnJsonArray(fresh)] };
}
