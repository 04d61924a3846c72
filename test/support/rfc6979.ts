/**
 * Deterministic ECDSA P-521 / SHA-512 (RFC 6979), written from the RFC for the tests only.
 * node:crypto signs ECDSA with random nonces, so reproducing the reference vectors' DER
 * signatures byte for byte needs this independent implementation.
 */
import { createHash, createHmac, type KeyObject } from 'node:crypto';

const p = 2n ** 521n - 1n;
const n = BigInt(
	'0x01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409',
);
const G = {
	x: BigInt(
		'0x00C6858E06B70404E9CD9E3ECB662395B4429C648139053FB521F828AF606B4D3DBAA14B5E77EFE75928FE1DC127A2FFA8DE3348B3C1856A429BF97E7E31C2E5BD66',
	),
	y: BigInt(
		'0x011839296A789A3BC0045C8A5FB42C7D1BD998F54449579B446817AFBD17273E662C97EE72995EF42640C550B9013FAD0761353C7086A272C24088BE94769FD16650',
	),
};
const QLEN = 521;
const RLEN = 66;

const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;

function modInverse(a: bigint, m: bigint): bigint {
	let [oldR, r] = [mod(a, m), m];
	let [oldS, s] = [1n, 0n];
	while (r !== 0n) {
		const q = oldR / r;
		[oldR, r] = [r, oldR - q * r];
		[oldS, s] = [s, oldS - q * s];
	}
	return mod(oldS, m);
}

type Jacobian = { X: bigint; Y: bigint; Z: bigint };

// Doubling for a = -3 (dbl-2001-b).
function double({ X, Y, Z }: Jacobian): Jacobian {
	const delta = mod(Z * Z, p);
	const gamma = mod(Y * Y, p);
	const beta = mod(X * gamma, p);
	const alpha = mod(3n * (X - delta) * (X + delta), p);
	const X3 = mod(alpha * alpha - 8n * beta, p);
	const Z3 = mod((Y + Z) ** 2n - gamma - delta, p);
	const Y3 = mod(alpha * (4n * beta - X3) - 8n * gamma * gamma, p);
	return { X: X3, Y: Y3, Z: Z3 };
}

// Mixed addition with an affine point (madd-2007-bl).
function addAffine(P: Jacobian, x2: bigint, y2: bigint): Jacobian {
	const Z1Z1 = mod(P.Z * P.Z, p);
	const U2 = mod(x2 * Z1Z1, p);
	const S2 = mod(y2 * P.Z * Z1Z1, p);
	const H = mod(U2 - P.X, p);
	if (H === 0n) return double(P);
	const HH = mod(H * H, p);
	const I = 4n * HH;
	const J = mod(H * I, p);
	const r = mod(2n * (S2 - P.Y), p);
	const V = mod(P.X * I, p);
	const X3 = mod(r * r - J - 2n * V, p);
	const Y3 = mod(r * (V - X3) - 2n * P.Y * J, p);
	const Z3 = mod((P.Z + H) ** 2n - Z1Z1 - HH, p);
	return { X: X3, Y: Y3, Z: Z3 };
}

function multiplyG(k: bigint): bigint {
	let R: Jacobian | undefined;
	for (let bit = BigInt(k.toString(2).length - 1); bit >= 0n; bit--) {
		if (R) R = double(R);
		if ((k >> bit) & 1n) R = R ? addAffine(R, G.x, G.y) : { X: G.x, Y: G.y, Z: 1n };
	}
	const zInv = modInverse((R as Jacobian).Z, p);
	return mod((R as Jacobian).X * zInv * zInv, p);
}

const toInt = (bytes: Buffer) => BigInt(`0x${bytes.toString('hex') || '0'}`);
const intToOctets = (value: bigint) =>
	Buffer.from(value.toString(16).padStart(RLEN * 2, '0'), 'hex');
function bitsToInt(bytes: Buffer): bigint {
	const value = toInt(bytes);
	const blen = bytes.length * 8;
	return blen > QLEN ? value >> BigInt(blen - QLEN) : value;
}

function derInteger(value: bigint): Buffer {
	let hex = value.toString(16);
	if (hex.length % 2) hex = `0${hex}`;
	let bytes = Buffer.from(hex, 'hex');
	if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
	return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

function derSequence(content: Buffer): Buffer {
	const length =
		content.length < 0x80 ? Buffer.from([content.length]) : Buffer.from([0x81, content.length]);
	return Buffer.concat([Buffer.from([0x30]), length, content]);
}

/** RFC 6979 §3.2 nonce, then a textbook ECDSA signature, DER encoded. */
export function signDeterministicP521(message: Buffer, privateKey: KeyObject): Buffer {
	const d = privateKey.export({ format: 'jwk' }).d as string;
	const x = toInt(Buffer.from(d, 'base64url'));
	const h1 = createHash('sha512').update(message).digest();
	const hmac = (key: Buffer, ...parts: Buffer[]) =>
		createHmac('sha512', key).update(Buffer.concat(parts)).digest();

	const seed = Buffer.concat([intToOctets(x), intToOctets(mod(bitsToInt(h1), n))]);
	let V = Buffer.alloc(64, 0x01);
	let K = Buffer.alloc(64, 0x00);
	K = hmac(K, V, Buffer.from([0x00]), seed);
	V = hmac(K, V);
	K = hmac(K, V, Buffer.from([0x01]), seed);
	V = hmac(K, V);
	let k: bigint;
	for (;;) {
		let T = Buffer.alloc(0);
		while (T.length * 8 < QLEN) {
			V = hmac(K, V);
			T = Buffer.concat([T, V]);
		}
		k = bitsToInt(T);
		if (k >= 1n && k < n) break;
		K = hmac(K, V, Buffer.from([0x00]));
		V = hmac(K, V);
	}
	const r = mod(multiplyG(k), n);
	const s = mod(modInverse(k, n) * (bitsToInt(h1) + r * x), n);
	return derSequence(Buffer.concat([derInteger(r), derInteger(s)]));
}
