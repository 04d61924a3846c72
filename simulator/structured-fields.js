'use strict';

/**
 * RFC 8941 structured field parsing (dictionary, inner list, parameters, bare items): what
 * signature-input, signature and content-digest need, but complete for those grammars so
 * odd-yet-valid input is not rejected. Errors are reported as results, never thrown.
 */

class SfError extends Error {}

const isDigit = (c) => c >= '0' && c <= '9';
const isLcAlpha = (c) => c >= 'a' && c <= 'z';
const isAlpha = (c) => isLcAlpha(c) || (c >= 'A' && c <= 'Z');
const TCHAR_EXTRA = "!#$%&'*+-.^_`|~:/";
const isTokenChar = (c) => isAlpha(c) || isDigit(c) || TCHAR_EXTRA.includes(c);
const isKeyChar = (c) =>
	isLcAlpha(c) || isDigit(c) || c === '_' || c === '-' || c === '.' || c === '*';
const BASE64_CHAR = /[A-Za-z0-9+/=]/;

class SfParser {
	constructor(input) {
		this.s = input;
		this.i = 0;
	}

	peek() {
		return this.s[this.i];
	}

	eof() {
		return this.i >= this.s.length;
	}

	skipSp() {
		while (this.s[this.i] === ' ') this.i++;
	}

	skipOws() {
		while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
	}

	fail(message) {
		throw new SfError(`${message} at position ${this.i}`);
	}

	parseKey() {
		const c = this.peek();
		if (c === undefined || !(isLcAlpha(c) || c === '*')) this.fail('expected a key');
		const start = this.i;
		while (!this.eof() && isKeyChar(this.peek())) this.i++;
		return this.s.slice(start, this.i);
	}

	parseBareItem() {
		const c = this.peek();
		if (c === '-' || (c !== undefined && isDigit(c))) return this.parseNumber();
		if (c === '"') return this.parseString();
		if (c === ':') return this.parseByteSequence();
		if (c === '?') return this.parseBoolean();
		if (c === '*' || (c !== undefined && isAlpha(c))) return this.parseToken();
		return this.fail('expected an item');
	}

	parseNumber() {
		const start = this.i;
		if (this.peek() === '-') this.i++;
		if (this.eof() || !isDigit(this.peek())) this.fail('expected a digit');
		let isDecimal = false;
		let intDigits = 0;
		let fracDigits = 0;
		while (!this.eof()) {
			const c = this.peek();
			if (isDigit(c)) {
				if (isDecimal) fracDigits++;
				else intDigits++;
			} else if (c === '.' && !isDecimal) {
				if (intDigits > 12) this.fail('decimal has too many integer digits');
				isDecimal = true;
			} else break;
			this.i++;
			if (!isDecimal && intDigits > 15) this.fail('integer has too many digits');
			if (isDecimal && fracDigits > 3) this.fail('decimal has too many fraction digits');
		}
		const text = this.s.slice(start, this.i);
		if (isDecimal) {
			if (fracDigits === 0) this.fail('decimal ends with a dot');
			return { type: 'decimal', value: Number(text) };
		}
		return { type: 'integer', value: Number(text) };
	}

	parseString() {
		this.i++; // opening quote
		let out = '';
		while (!this.eof()) {
			const c = this.s[this.i++];
			if (c === '\\') {
				const next = this.s[this.i++];
				if (next !== '"' && next !== '\\') this.fail('invalid escape in string');
				out += next;
			} else if (c === '"') {
				return { type: 'string', value: out };
			} else {
				const code = c.charCodeAt(0);
				if (code < 0x20 || code > 0x7e) this.fail('invalid character in string');
				out += c;
			}
		}
		return this.fail('unterminated string');
	}

	parseToken() {
		const start = this.i;
		this.i++;
		while (!this.eof() && isTokenChar(this.peek())) this.i++;
		return { type: 'token', value: this.s.slice(start, this.i) };
	}

	parseByteSequence() {
		this.i++; // opening colon
		const start = this.i;
		while (!this.eof() && this.peek() !== ':') {
			if (!BASE64_CHAR.test(this.peek())) this.fail('invalid character in byte sequence');
			this.i++;
		}
		if (this.eof()) this.fail('unterminated byte sequence');
		const text = this.s.slice(start, this.i);
		this.i++; // closing colon
		const bytes = Buffer.from(text, 'base64');
		// Buffer's decoder is lenient; insist on canonical padded base64 (RFC 4648 section 4).
		if (bytes.toString('base64') !== text)
			this.fail('byte sequence is not canonical padded base64');
		return { type: 'bytes', value: bytes };
	}

	parseBoolean() {
		this.i++;
		const c = this.s[this.i++];
		if (c === '1') return { type: 'boolean', value: true };
		if (c === '0') return { type: 'boolean', value: false };
		return this.fail('invalid boolean');
	}

	parseParameters() {
		const params = new Map();
		while (this.peek() === ';') {
			this.i++;
			this.skipSp();
			const key = this.parseKey();
			let value = { type: 'boolean', value: true };
			if (this.peek() === '=') {
				this.i++;
				value = this.parseBareItem();
			}
			params.set(key, value);
		}
		return params;
	}

	parseInnerList() {
		this.i++; // (
		const items = [];
		while (!this.eof()) {
			this.skipSp();
			if (this.peek() === ')') {
				this.i++;
				return { type: 'inner-list', items, params: this.parseParameters() };
			}
			const item = this.parseBareItem();
			items.push({ ...item, params: this.parseParameters() });
			const c = this.peek();
			if (c !== ' ' && c !== ')') this.fail('expected a space or ")" in inner list');
		}
		return this.fail('unterminated inner list');
	}

	/** Dictionary member values keep their raw text: @signature-params must repeat it verbatim. */
	parseDictionary() {
		const members = new Map();
		this.skipSp();
		if (this.eof()) return members;
		for (;;) {
			const key = this.parseKey();
			let member;
			if (this.peek() === '=') {
				this.i++;
				const start = this.i;
				if (this.peek() === '(') member = this.parseInnerList();
				else member = { ...this.parseBareItem(), params: this.parseParameters() };
				member.raw = this.s.slice(start, this.i);
			} else {
				const start = this.i;
				member = { type: 'boolean', value: true, params: this.parseParameters() };
				member.raw = this.s.slice(start, this.i);
			}
			members.set(key, member);
			this.skipOws();
			if (this.eof()) return members;
			if (this.peek() !== ',') this.fail('expected "," between dictionary members');
			this.i++;
			this.skipOws();
			if (this.eof()) this.fail('trailing comma in dictionary');
		}
	}
}

/** Parses an RFC 8941 dictionary. Returns { ok: true, members } or { ok: false, error }. */
function parseDictionary(text) {
	if (typeof text !== 'string') return { ok: false, error: 'value is not a string' };
	try {
		const parser = new SfParser(text);
		const members = parser.parseDictionary();
		return { ok: true, members };
	} catch (err) {
		if (err instanceof SfError) return { ok: false, error: err.message };
		return { ok: false, error: `unparseable structured field: ${err && err.message}` };
	}
}

module.exports = { parseDictionary };
