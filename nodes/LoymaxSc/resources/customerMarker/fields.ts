import type { IDataObject } from 'n8n-workflow';

import type { FieldSpec } from '../../shared/fields';
import type { OperationSpec, PrepareInput } from '../../shared/operation';

export const markerNameField: FieldSpec = {
	name: 'markerName',
	label: 'Marker Name',
	apiName: 'name',
	type: 'string',
	required: true,
	description: 'A new name creates the marker',
};

const PLATFORM_CUSTOMER_ID = 'Platform Customer ID';

/** Read as text, so that an empty field means "look it up" and never becomes 0; sent as a number. */
export const platformCustomerIdField: FieldSpec = {
	name: 'platformCustomerId',
	label: PLATFORM_CUSTOMER_ID,
	apiName: 'client_id',
	type: 'string',
	placeholder: 'e.g. 1042',
	description: "The customer's numeric ID in Loymax SC (its id), not the Customer Local ID. Leave empty to look it up (one extra request).",
};

const PLATFORM_ID = /^[1-9]\d*$/;

/** The reference types `client_id` number: digits a JSON number carries exactly, else undefined. */
const platformIdNumber = (text: string) => (PLATFORM_ID.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined);

/** A given Platform Customer ID is digits, checked before any request. */
export const checkPlatformCustomerId: OperationSpec['check'] = (attributes) => {
	const id = attributes.client_id;
	if (id === undefined || platformIdNumber(String(id)) !== undefined) return undefined;
	const problem = PLATFORM_ID.test(String(id))
		? 'is larger than a JSON number carries exactly'
		: 'is not a Loymax SC ID (digits, not 0); leave it empty to look it up';
	return { field: PLATFORM_CUSTOMER_ID, problem: `"${String(id)}" ${problem}` };
};

/**
 * Marker bodies carry the customer's Platform ID as a number (docs/api-readings.md, "Customer
 * markers"), which users rarely have at hand: read it from the customer, or fail before the
 * marker request is sent.
 */
export async function resolvePlatformCustomerId({ attributes, ids, get }: PrepareInput): Promise<void> {
	if (attributes.client_id !== undefined) {
		attributes.client_id = platformIdNumber(String(attributes.client_id));
		return;
	}
	const body = (await get(`/customer/${encodeURIComponent(String(ids.customerId))}`)) as { data?: IDataObject } | undefined;
	const id = body?.data?.id;
	// JSON:API IDs are strings; a number is taken only while it is exact.
	const text = typeof id === 'string' ? id.trim() : typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : '';
	const number = platformIdNumber(text);
	if (number === undefined) {
		throw new Error(
			`Could not find the ${PLATFORM_CUSTOMER_ID} of customer "${String(ids.customerId)}": Loymax SC answered without a usable ID (${JSON.stringify(id ?? null)}); enter ${PLATFORM_CUSTOMER_ID} instead`,
		);
	}
	attributes.client_id = number;
}
