/**
 * The subset of RFC 8941 structured field dictionaries that `signature-input` and `signature`
 * use (https://www.rfc-editor.org/rfc/rfc8941): members that are an item or an inner list, each
 * with parameters; bare items that are strings, integers, tokens, byte sequences or booleans.
 * Each member keeps its raw text, because the signature base repeats it verbatim.
 */

export type BareItem = string | number | boolean | Buffer | { token: string };

export type Parameters = Map<string, BareItem>;

export interface Item {
	value: BareItem;
	params: Parameters;
}

export interface Member {
	/** An inner list `( … )` or a single item. */
	value: Item[] | BareItem;
	params: Parameters;
	/** The member's text after `key=`, exactly as received. */
	raw: string;
}

class StructuredFieldError extends Error {
	name = 'StructuredFieldError';
}

const KEY_START = /[a-z*]/;
const KEY_CHAR = /[a-z0-9_.*-]/;
const TOKEN_START = /[A-Za-z*]/;
const TOKEN_CHAR = /[!#$%&'*+.^_`|~0-9A-Za-z:/-]/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MAX_INTEGER_DIGITS = 15;

class Cursor {
	index = 0;

	constructor(readonly text: string) {}

	/** A method, not a getter, so TypeScript does not narrow it across moves. */
	char(): string {
		return this.text[this.index] ?? '';
	}

	get done(): boolean {
		return this.index >= this.text.length;
	}

	skipSpaces(): void {
		while (this.char() === ' ') this.index++;
	}

	skipOptionalWhitespace(): void {
		while (this.char() === ' ' || this.char() === '\t') this.index++;
	}

	expect(char: string): void {
		if (this.char() !== char) this.error(`expected "${char}"`);
		this.index++;
	}

	error(message: string): never {
		throw new StructuredFieldError(`${message} at character ${this.index + 1}`);
	}
}

function parseKey(cursor: Cursor): string {
	if (!KEY_START.test(cursor.char())) cursor.error('expected a lower-case key');
	const start = cursor.index;
	while (!cursor.done && KEY_CHAR.test(cursor.char())) cursor.index++;
	return cursor.text.slice(start, cursor.index);
}

function parseString(cursor: Cursor): string {
	cursor.expect('"');
	let value = '';
	while (!cursor.done) {
		const char = cursor.char();
		cursor.index++;
		if (char === '"') return value;
		if (char === '\\') {
			const escaped = cursor.char();
			if (escaped !== '"' && escaped !== '\\') cursor.error('invalid escape in string');
			value += escaped;
			cursor.index++;
		} else {
			const code = char.charCodeAt(0);
			if (code < 0x20 || code > 0x7e) cursor.error('invalid character in string');
			value += char;
		}
	}
	return cursor.error('unterminated string');
}

function parseInteger(cursor: Cursor): number {
	const start = cursor.index;
	if (cursor.char() === '-') cursor.index++;
	const digitsStart = cursor.index;
	while (cursor.char() >= '0' && cursor.char() <= '9') cursor.index++;
	const digits = cursor.index - digitsStart;
	if (digits === 0) cursor.error('expected a digit');
	if (digits > MAX_INTEGER_DIGITS) cursor.error('integer too long');
	if (cursor.char() === '.') cursor.error('decimals are not supported');
	return Number(cursor.text.slice(start, cursor.index));
}

function parseByteSequence(cursor: Cursor): Buffer {
	cursor.expect(':');
	const end = cursor.text.indexOf(':', cursor.index);
	if (end < 0) cursor.error('unterminated byte sequence');
	const encoded = cursor.text.slice(cursor.index, end);
	if (!BASE64.test(encoded)) cursor.error('invalid base64 in byte sequence');
	cursor.index = end + 1;
	return Buffer.from(encoded, 'base64');
}

function parseBareItem(cursor: Cursor): BareItem {
	const char = cursor.char();
	if (char === '"') return parseString(cursor);
	if (char === ':') return parseByteSequence(cursor);
	if (char === '-' || (char >= '0' && char <= '9')) return parseInteger(cursor);
	if (char === '?') {
		cursor.index++;
		const flag = cursor.char();
		if (flag !== '0' && flag !== '1') cursor.error('invalid boolean');
		cursor.index++;
		return flag === '1';
	}
	if (TOKEN_START.test(char)) {
		const start = cursor.index;
		while (!cursor.done && TOKEN_CHAR.test(cursor.char())) cursor.index++;
		return { token: cursor.text.slice(start, cursor.index) };
	}
	return cursor.error('expected an item');
}

function parseParameters(cursor: Cursor): Parameters {
	const params: Parameters = new Map();
	while (cursor.char() === ';') {
		cursor.index++;
		cursor.skipSpaces();
		const key = parseKey(cursor);
		let value: BareItem = true;
		if (cursor.char() === '=') {
			cursor.index++;
			value = parseBareItem(cursor);
		}
		// A repeated parameter is ambiguous in a signature: refuse instead of picking one.
		if (params.has(key)) cursor.error(`parameter "${key}" repeated`);
		params.set(key, value);
	}
	return params;
}

function parseInnerList(cursor: Cursor): Item[] {
	cursor.expect('(');
	const items: Item[] = [];
	for (;;) {
		cursor.skipSpaces();
		if (cursor.char() === ')') {
			cursor.index++;
			return items;
		}
		const value = parseBareItem(cursor);
		items.push({ value, params: parseParameters(cursor) });
		if (cursor.char() !== ' ' && cursor.char() !== ')') cursor.error('expected a space or ")"');
	}
}

function dictionary(text: string): Map<string, Member> {
	const cursor = new Cursor(text);
	const members = new Map<string, Member>();
	cursor.skipSpaces();
	while (!cursor.done) {
		const key = parseKey(cursor);
		const hasValue = cursor.char() === '=';
		if (hasValue) cursor.index++;
		const start = cursor.index;
		let value: Item[] | BareItem = true;
		if (hasValue) value = cursor.char() === '(' ? parseInnerList(cursor) : parseBareItem(cursor);
		const params = parseParameters(cursor);
		// Two members with one label could each be the one verified: refuse.
		if (members.has(key)) cursor.error(`member "${key}" repeated`);
		members.set(key, { value, params, raw: text.slice(start, cursor.index) });
		cursor.skipOptionalWhitespace();
		if (cursor.done) break;
		cursor.expect(',');
		cursor.skipOptionalWhitespace();
		if (cursor.done) cursor.error('trailing comma');
	}
	return members;
}

/** Parses a dictionary field; a fault is a message naming its position. */
export function parseDictionary(
	text: string,
): { ok: true; value: Map<string, Member> } | { ok: false; error: string } {
	try {
		return { ok: true, value: dictionary(text) };
	} catch (error) {
		return { ok: false, error: (error as Error).message };
	}
}
