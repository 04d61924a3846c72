import type { IDataObject } from 'n8n-workflow';

/** application/x-www-form-urlencoded, byte for byte what URLSearchParams writes. */
function formEncode(value: string): string {
	return encodeURIComponent(value)
		.replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
		.replace(/%20/g, '+');
}

/** A query string (without `?`) or a form body; empty and undefined values are left out. */
export function serializeQuery(qs: IDataObject | undefined): string {
	const pairs: string[] = [];
	for (const [name, value] of Object.entries(qs ?? {})) {
		if (value === undefined || value === null) continue;
		for (const item of Array.isArray(value) ? value : [value]) {
			const text = typeof item === 'object' ? JSON.stringify(item) : String(item);
			pairs.push(`${formEncode(name)}=${formEncode(text)}`);
		}
	}
	return pairs.join('&');
}
