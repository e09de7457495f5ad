import type { IDataObject } from 'n8n-workflow';

import { findLoymaxError, type ApiErrorDetail, type RawResponse } from './policy';
import { envelopeOf, rememberEnvelope, type BodyShape, type EnvelopeGroup } from './readings';
import { missesSentFields } from './refusal';

/**
 * The credential's Body Format. `auto` (the default) starts with the JSON:API envelope and, when the
 * API answers that fields sent in one shape are missing, sends the same write once in the other
 * shape and remembers it. `wrapped` and `flat` fix the shape (`flat` keeps the bodies Loymax's
 * OpenAPI file shows as shown, as it always has).
 */
export type BodyFormat = 'auto' | 'wrapped' | 'flat';

/**
 * The credential's Body Format. `envelope` fixes the envelope; `wrapped`, the default before Auto
 * existed (n8n saved it into every credential), reads as Auto: Auto sends the envelope first too.
 */
export const readBodyFormat = (value: unknown): BodyFormat => (value === 'envelope' ? 'wrapped' : value === 'flat' ? 'flat' : 'auto');

const other = (shape: BodyShape): BodyShape => (shape === 'wrapped' ? 'flat' : 'wrapped');

/**
 * A write body in a shape. A list body (message events) is `{"data":[…]}` in Loymax's OpenAPI file,
 * and the bare list when flat.
 */
export function shapeBody(attributes: IDataObject, shape: BodyShape, list = false): IDataObject | IDataObject[] {
	if (list) return shape === 'wrapped' ? { data: [attributes] } : [attributes];
	return shape === 'wrapped' ? { data: { attributes } } : attributes;
}

export interface EnvelopedWrite {
	format: BodyFormat;
	baseUrl: string;
	/** Method and path template, e.g. `POST /customer/{customerId}/channel`. */
	endpoint: string;
	/** Whether Loymax's OpenAPI file shows this body (it then stays wrapped under `flat`). */
	documented: boolean;
	/** Whether the body is a list of records (message events). */
	list: boolean;
	attributes: IDataObject;
	send: (body: IDataObject | IDataObject[]) => Promise<RawResponse>;
}

/** The status and error details of a refused request, from our error or the NodeApiError made of it. */
function refusalOf(error: unknown): { status?: number; errors: ApiErrorDetail[] } | undefined {
	const ours = findLoymaxError(error);
	if (ours) return { status: ours.httpCode, errors: ours.errors };
	const { httpCode, errorResponse } = (error ?? {}) as { httpCode?: unknown; errorResponse?: { errors?: unknown } };
	const errors = errorResponse?.errors;
	return Array.isArray(errors) ? { status: Number(httpCode), errors: errors as ApiErrorDetail[] } : undefined;
}

const isShapeRefusal = (error: unknown, attributes: IDataObject): boolean => {
	const refusal = refusalOf(error);
	return refusal !== undefined && missesSentFields(refusal.status, refusal.errors, attributes);
};

type Outcome = { response: RawResponse } | { error: unknown };

/**
 * Sends a write in the shape the API is known or likeliest to take. Under `auto`, a refusal that
 * calls sent fields missing (or names the envelope) sends it once in the other shape: a refused
 * write changed nothing, so this cannot duplicate. What worked is remembered per host and endpoint.
 */
export async function sendEnveloped(write: EnvelopedWrite): Promise<RawResponse> {
	const { format, baseUrl, endpoint, documented, list, attributes, send } = write;
	if (format !== 'auto') return await send(shapeBody(attributes, format === 'flat' && !documented ? 'flat' : 'wrapped', list));
	const group: EnvelopeGroup = documented ? 'documented' : 'undocumented';
	const first = envelopeOf(baseUrl, endpoint, group) ?? 'wrapped';
	const attempt = async (shape: BodyShape): Promise<Outcome> =>
		await send(shapeBody(attributes, shape, list)).then(
			(response) => {
				rememberEnvelope(baseUrl, endpoint, group, shape, shape !== first);
				return { response };
			},
			(error: unknown) => ({ error }),
		);
	const outcome = await attempt(first);
	if ('response' in outcome) return outcome.response;
	if (!isShapeRefusal(outcome.error, attributes)) throw outcome.error;
	const second = await attempt(other(first));
	if ('response' in second) return second.response;
	// Refused in both shapes: the answer to the shape it was known or likeliest to take says more.
	throw isShapeRefusal(second.error, attributes) ? outcome.error : second.error;
}
