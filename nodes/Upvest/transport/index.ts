/**
 * The wire to Upvest, for every operation and the trigger: signed requests through n8n's request
 * helper with the shared access token, retries, problem+json errors, and list paging.
 */
export type { UpvestFunctions } from './context';
export {
	DEFAULT_RETRY_POLICY,
	RequestThrottle,
	decryptCredentials,
	upvestApiRequest,
	type RetryPolicy,
	type UpvestRequest,
	type UpvestRequestOptions,
} from './request';
export type { StatusAdvice } from './errors';
export { MAX_PAGE_SIZE, upvestApiRequestAllItems, type PagingOptions } from './paging';
