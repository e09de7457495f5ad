import type { IDataObject } from 'n8n-workflow';

import type { FieldSpec } from '../../shared/fields';
import type { PrepareInput } from '../../shared/operation';

export const markerNameField: FieldSpec = {
	name: 'markerName',
	label: 'Marker Name',
	apiName: 'name',
	type: 'string',
	required: true,
	description: 'A new name creates the marker',
};

export const platformCustomerIdField: FieldSpec = {
	name: 'platformCustomerId',
	label: 'Platform Customer ID',
	apiName: 'client_id',
	type: 'number',
	integer: true,
	description: 'The customer\'s ID in Loymax SC (a number). Leave empty to look it up from the Customer ID (one extra request).',
};

/** API.md §5 #6: marker bodies need the Platform ID, which marketers rarely have at hand. */
export async function resolvePlatformCustomerId({ attributes, ids, get }: PrepareInput): Promise<void> {
	if (attributes.client_id !== undefined) return;
	const body = (await get(`/customer/${encodeURIComponent(String(ids.customerId))}`)) as { data?: IDataObject };
	const id = Number(body?.data?.id);
	if (Number.isFinite(id)) attributes.client_id = id;
}
