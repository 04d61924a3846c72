/**
 * Builders for the operations that differ only in their resource, path and scopes: look one
 * resource up by its ID, and list them with Return All and Limit.
 */
import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { PreparedCall, UpvestOperation } from '../node.type';
import { optionsCollection } from './options';
import { listSortOptions, readListOrder, readPaging, returnAllAndLimit } from './listing';
import { readUuid } from './validation';

export interface IdField {
	/** The field (usually a resource locator) holding the ID. */
	property: INodeProperties;
	label: string;
	/** e.g. "user ID": the error's fix names it. */
	what: string;
}

export const show = (resource: string, operation: string) => ({
	show: { resource: [resource], operation: [operation] },
});

/** Reads the ID of `field` for one item, as every operation on one resource does. */
export function readId(context: IExecuteFunctions, itemIndex: number, field: IdField): string {
	return readUuid(context, itemIndex, field.property.name, field.label, field.what);
}

/** `GET <path(id)>`: one resource by its ID (or the IDs of several fields, in order). */
export function getById(
	resource: string,
	fields: IdField[],
	path: (...ids: string[]) => string,
	scopes: readonly string[],
): UpvestOperation {
	return {
		description: updateDisplayOptions(show(resource, 'get'), [
			...fields.map((field) => field.property),
			optionsCollection(),
		]),
		prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
			const ids = fields.map((field) => readId(this, itemIndex, field));
			return { request: { method: 'GET', path: path(...ids) }, scopes };
		},
	};
}

/** `GET <path>`: a paged list of all of the API client's resources, with Sort By and Order. */
export function listAll(
	resource: string,
	path: string,
	scopes: readonly string[],
): UpvestOperation {
	return {
		description: updateDisplayOptions(show(resource, 'getAll'), [
			...returnAllAndLimit,
			optionsCollection(listSortOptions),
		]),
		prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
			return {
				request: { method: 'GET', path, query: readListOrder(this, itemIndex) },
				scopes,
				paging: readPaging(this, itemIndex),
			};
		},
	};
}

/** The entries of a `{data: [...]}` answer; none when it carries no list. */
export function listEntries(answer: IDataObject): IDataObject[] {
	return Array.isArray(answer.data) ? (answer.data as IDataObject[]) : [];
}

/**
 * A list Upvest answers whole (`{data: [...]}`, no paging): Return All or the first Limit
 * entries, each an output item.
 */
export function unpagedList(
	context: IExecuteFunctions,
	itemIndex: number,
): (answer: IDataObject) => IDataObject[] {
	const paging = readPaging(context, itemIndex);
	return (answer) => {
		const data = listEntries(answer);
		return paging.returnAll ? data : data.slice(0, paging.limit);
	};
}

export { returnAllAndLimit };
