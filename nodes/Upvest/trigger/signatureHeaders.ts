import { fail, ok, type Result } from './checks';
import { parseDictionary, type BareItem, type Member } from './structuredFields';

/** Upvest labels its one signature `sig1`; another label is used only if `sig1` is absent. */
export const PREFERRED_LABEL = 'sig1';

export interface SignatureInput {
	label: string;
	/** Covered component names, in the order the base lists them. */
	components: string[];
	/** The member's text after `sig1=`, verbatim: the base's `@signature-params` value. */
	params: string;
	keyId: string;
	created: number;
	expires?: number;
	nonce?: string;
}

export interface ParsedSignature {
	input: SignatureInput;
	/** The decoded signature bytes (DER or raw r||s). */
	signature: Buffer;
}

function parseField(
	name: 'signature' | 'signature-input',
	text: string,
): Result<Map<string, Member>> {
	const parsed = parseDictionary(text);
	return parsed.ok ? ok(parsed.value) : fail(name, `${name}: ${parsed.error}`);
}

const isInteger = (value: BareItem | undefined): value is number =>
	typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function readInput(label: string, member: Member): Result<SignatureInput> {
	if (!Array.isArray(member.value)) {
		return fail('signature-input', 'signature-input: the covered components are not a list');
	}
	const components: string[] = [];
	for (const item of member.value) {
		// Component parameters (;sf, ;key, ;req …) are not part of Upvest's scheme.
		if (typeof item.value !== 'string' || item.params.size > 0) {
			return fail('signature-input', 'signature-input: each component must be a plain string');
		}
		if (components.includes(item.value)) {
			return fail('signature-input', `signature-input: component "${item.value}" is repeated`);
		}
		components.push(item.value);
	}
	const { params } = member;
	const keyId = params.get('keyid');
	const created = params.get('created');
	const expires = params.get('expires');
	const nonce = params.get('nonce');
	if (typeof keyId !== 'string' || keyId === '') {
		return fail('signature-input', 'signature-input: keyid is missing');
	}
	if (!isInteger(created)) {
		return fail('signature-input', 'signature-input: created is missing or not a timestamp');
	}
	if (expires !== undefined && !isInteger(expires)) {
		return fail('signature-input', 'signature-input: expires is not a timestamp');
	}
	if (nonce !== undefined && typeof nonce !== 'string') {
		return fail('signature-input', 'signature-input: nonce is not a string');
	}
	return ok({ label, components, params: member.raw, keyId, created, expires, nonce });
}

/** Parses the two signature headers; any fault is a failure naming the header. */
export function parseSignatureHeaders(
	signatureInputHeader: string | undefined,
	signatureHeader: string | undefined,
): Result<ParsedSignature> {
	if (signatureInputHeader === undefined || signatureInputHeader.trim() === '') {
		return fail('signature-input', 'the signature-input header is missing');
	}
	if (signatureHeader === undefined || signatureHeader.trim() === '') {
		return fail('signature', 'the signature header is missing');
	}
	const inputs = parseField('signature-input', signatureInputHeader);
	if (!inputs.ok) return inputs;
	const signatures = parseField('signature', signatureHeader);
	if (!signatures.ok) return signatures;

	const label =
		inputs.value.has(PREFERRED_LABEL) && signatures.value.has(PREFERRED_LABEL)
			? PREFERRED_LABEL
			: [...inputs.value.keys()].find((key) => signatures.value.has(key));
	if (label === undefined) {
		return fail('signature', 'no signature carries a label that signature-input describes');
	}
	const input = readInput(label, inputs.value.get(label) as Member);
	if (!input.ok) return input;
	const signature = (signatures.value.get(label) as Member).value;
	if (!Buffer.isBuffer(signature) || signature.length === 0) {
		return fail('signature', `signature: ${label} is not a byte sequence`);
	}
	return ok({ input: input.value, signature });
}
