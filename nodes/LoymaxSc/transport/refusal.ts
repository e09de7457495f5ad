import type { ApiErrorDetail } from './policy';

/**
 * Reading a validation refusal for what it says about the shape of the request: an API that looks
 * for fields elsewhere than where they were sent answers that they are missing.
 */

/** Wordings of "missing" (Laravel's "The x field is required.", and Russian ones). */
const MISSING = /required|missing|must be present|must be provided|обязател|не заполнен|не указан|не передан/i;
/** "The x field is required." (Laravel writes `local_id` as "local id" unless told otherwise). */
const REQUIRED_TEXT = /the ([\p{L}\d_.:\- ]+?) field is required/giu;

/** One spelling per field name: lower case, `_`, `-` and spaces alike. */
export const canonicalField = (name: string): string => name.toLowerCase().replace(/[_\s-]+/g, ' ').trim();

/**
 * A validation key without the envelope around the field: `data.attributes.local_id`, `data.0.type`
 * and `0.type` name `local_id` and `type`; `data` and `data.attributes` name the envelope ('').
 */
export function fieldOfKey(key: string): string {
	const segments = key.split('.').filter((segment) => segment !== '*' && !/^\d+$/.test(segment));
	if (segments[0] === 'data') segments.shift();
	if (segments[0] === 'attributes') segments.shift();
	return canonicalField(segments.join('.'));
}

export interface NamedFields {
	/** Fields the refusal calls missing (canonical spelling). */
	missing: Set<string>;
	/** Whether the refusal names the envelope itself (`data`): required, or not allowed. */
	envelope: boolean;
}

/**
 * What a 400/422 refusal names: fields it says are missing, and whether it names the envelope.
 * Anything else (a wrong password, a bad value) names nothing.
 */
export function namedFields(status: number | undefined, errors: ApiErrorDetail[]): NamedFields {
	const named: NamedFields = { missing: new Set(), envelope: false };
	if (status !== 400 && status !== 422) return named;
	const noteText = (text: unknown) => {
		for (const match of String(text ?? '').matchAll(REQUIRED_TEXT)) {
			const field = fieldOfKey(match[1].trim().replace(/\s+/g, '_'));
			if (field === '') named.envelope = true;
			else named.missing.add(field);
		}
	};
	for (const error of errors) {
		noteText(error.title);
		noteText(error.detail);
		for (const [key, value] of Object.entries(error.validation ?? {})) {
			const messages = (Array.isArray(value) ? value : [value]).map(String);
			const field = fieldOfKey(key);
			if (field === '') named.envelope = true;
			else if (messages.some((message) => MISSING.test(message))) named.missing.add(field);
			messages.forEach(noteText);
		}
	}
	return named;
}

/** Whether a value counts as sent: Laravel's `required` treats empty strings, arrays and null as missing. */
export const isFilled = (value: unknown): boolean =>
	value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);

/**
 * Whether a refusal shows that the API did not find the request's fields where they were sent: it
 * names the envelope, or calls missing a field that was sent filled.
 */
export function missesSentFields(status: number | undefined, errors: ApiErrorDetail[], sent: Record<string, unknown>): boolean {
	const named = namedFields(status, errors);
	if (named.envelope) return true;
	return Object.entries(sent).some(([name, value]) => isFilled(value) && named.missing.has(canonicalField(name)));
}
