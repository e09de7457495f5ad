import type { FieldSpec } from '../../shared/fields';

/** Loymax's docs list device_id under Headers on all three device endpoints, so it goes in a header. */
export const deviceIdHeader: FieldSpec = {
	name: 'deviceId',
	label: 'Device ID',
	type: 'string',
	required: true,
	description: 'Unique ID of the device (sent in the device_id header)',
};

export const sourceCodeField: FieldSpec = {
	name: 'sourceCode',
	label: 'Source Code',
	type: 'number',
	integer: true,
	description: 'Code of the event source (Settings > Event sources)',
};
