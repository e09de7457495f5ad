import type { FieldSpec } from '../../shared/fields';

/** API.md §5 #13: the docs list device_id under Headers three times, so it goes in a header. */
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
