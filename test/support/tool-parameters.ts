/**
 * The Upvest node as an AI agent's tool sees it: its operations (resource, operation, action and
 * description) and each operation's parameters with every field mapped from the input item, as
 * n8n fills a tool's fields from the model's answer (`$fromAI(...)`, here `$json[...]`).
 */
import type { INodeParameters, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { Upvest } from '../../nodes/Upvest/Upvest.node';

export interface ToolOperation {
	resource: string;
	operation: string;
	/** The Operation option: its name, value, action and description. */
	option: INodePropertyOptions;
}

const properties = () => new Upvest().description.properties;
const shownFor = (property: INodeProperties, key: string, value: string) =>
	(property.displayOptions?.show?.[key] as unknown[] | undefined)?.includes(value) === true;

/** The Resource options, and for each the options of its Operation field. */
export function toolOperations(): {
	resources: INodePropertyOptions[];
	operations: ToolOperation[];
} {
	const all = properties();
	const resourceField = all.find((property) => property.name === 'resource');
	const resources = (resourceField?.options ?? []) as INodePropertyOptions[];
	const operations = resources.flatMap((resource) =>
		all
			.filter(
				(property) =>
					property.name === 'operation' && shownFor(property, 'resource', String(resource.value)),
			)
			.flatMap((property) => (property.options ?? []) as INodePropertyOptions[])
			.map((option) => ({
				resource: String(resource.value),
				operation: String(option.value),
				option,
			})),
	);
	return { resources, operations };
}

/** `={{ $json["<path>"] }}`: the field's value from the item's key `path`. */
const fromItem = (path: string) => `={{ $json[${JSON.stringify(path)}] }}`;

/** One field, and the item keys it maps (a group maps every field inside it). */
function mapField(property: INodeProperties, prefix: string, paths: string[]): unknown {
	const path = `${prefix}${property.name}`;
	switch (property.type) {
		case 'resourceLocator':
			paths.push(path);
			return { __rl: true, mode: 'id', value: fromItem(path) };
		case 'collection':
			return mapFields((property.options ?? []) as INodeProperties[], `${path}.`, paths);
		case 'fixedCollection': {
			const groups: INodeParameters = {};
			for (const group of (property.options ?? []) as Array<{
				name: string;
				values: INodeProperties[];
			}>) {
				const values = mapFields(group.values, `${path}.${group.name}.`, paths);
				groups[group.name] = property.typeOptions?.multipleValues === true ? [values] : values;
			}
			return groups;
		}
		default:
			paths.push(path);
			return fromItem(path);
	}
}

function mapFields(fields: INodeProperties[], prefix: string, paths: string[]): INodeParameters {
	const mapped: INodeParameters = {};
	for (const field of fields) {
		// A field two variants share (Entity ID of an account group or a business) is mapped once.
		if (field.type === 'notice' || field.name in mapped) continue;
		mapped[field.name] = mapField(field, prefix, paths) as INodeParameters[string];
	}
	return mapped;
}

/**
 * The parameters of `resource`/`operation` with every field it shows (whatever the other fields
 * say: with expressions n8n shows them all) mapped from the item, and the item keys they read.
 */
export function mappedParameters(
	resource: string,
	operation: string,
): { parameters: INodeParameters; paths: string[] } {
	const fields = properties().filter(
		(property) =>
			property.name !== 'resource' &&
			property.name !== 'operation' &&
			shownFor(property, 'resource', resource) &&
			shownFor(property, 'operation', operation),
	);
	const paths: string[] = [];
	const parameters = { resource, operation, ...mapFields(fields, '', paths) };
	return { parameters, paths };
}
