/**
 * @jest-environment ./test/process-time-zone.environment.js
 * @jest-environment-options {"timeZone": "Europe/Moscow"}
 */
// The process runs in Moscow; the workflows below run in Los Angeles (or Moscow) and the accounts in
// Tokyo or UTC, so that a conversion that leans on the wrong zone gives a different answer.

import { NodeOperationError, setGlobalState, type INode } from 'n8n-workflow';

import { convertField, type FieldContext, type FieldSpec } from '../nodes/LoymaxSc/shared/fields';
import { formatDateTime, parseDateInput, wallClockIn } from '../nodes/LoymaxSc/shared/values';
import { sentAttributes } from './harness/fixture';
import { apiRequests, withFixture } from './harness/operation';

// luxon comes with n8n-workflow; it has no type declarations here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DateTime } = require('luxon') as {
	DateTime: {
		fromObject(parts: object, options?: { zone?: string }): LuxonLike;
		fromISO(text: string, options?: { setZone?: boolean }): LuxonLike;
		invalid(reason: string): LuxonLike;
	};
};
interface LuxonLike {
	toISO(): string | null;
	toJSDate(): Date;
}

const PROCESS_ZONE = 'Europe/Moscow';
/** Sets TZ on the real process (see the environment above); jest's process.env is a copy. */
declare const setProcessTimeZone: (zone: string) => void;

afterAll(() => setGlobalState({ defaultTimezone: 'America/New_York' }));

const node = { name: 'Loymax SC', type: 'n8n-nodes-loymaxsc.loymaxSc', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;

/** An item context as the node sees it: a workflow zone and, optionally, the credential's account zone. */
const contextIn = (workflowZone: string, accountZone?: string): FieldContext => ({
	getNodeParameter: () => undefined,
	getNode: () => node,
	getItemIndex: () => 2,
	getTimezone: () => workflowZone,
	...(accountZone === undefined ? {} : { accountTimeZone: () => accountZone }),
});

const birthDate: FieldSpec = { name: 'birthDate', label: 'Birth Date', type: 'date' };
const orderDate: FieldSpec = { name: 'date', label: 'Date', type: 'dateTime' };
const registerDate: FieldSpec = { name: 'registerDate', label: 'Register Date', type: 'registerDate', required: true };

const LA = 'America/Los_Angeles';
const TOKYO = 'Asia/Tokyo';
const MOSCOW = 'Europe/Moscow';
const UTC = 'UTC';

describe('time zones of this test', () => {
	it('run the process in Moscow, unlike the workflow and account zones used below', () => {
		expect(new Date(2024, 0, 1).getTimezoneOffset()).toBe(-180);
		expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(PROCESS_ZONE);
	});
});

describe('instants are sent in the account time zone', () => {
	const sameInstant = ['2024-03-10T07:10:00Z', '2024-03-10T10:10:00+03:00', '2024-03-10T10:10:00+0300', '2024-03-10 02:10:00-05', '2024-03-10T07:10:00.000Z'];

	it.each(sameInstant)('%s is the same instant, sent as the account sees it', (raw) => {
		expect(convertField(contextIn(LA, TOKYO), orderDate, raw)).toBe('2024-03-10 16:10:00');
		expect(convertField(contextIn(LA, UTC), orderDate, raw)).toBe('2024-03-10 07:10:00');
		expect(convertField(contextIn(LA, MOSCOW), orderDate, raw)).toBe('2024-03-10 10:10:00');
	});

	it('uses the workflow time zone when the credential sets none (absent or empty)', () => {
		expect(convertField(contextIn(LA), orderDate, '2024-03-10T07:10:00Z')).toBe('2024-03-09 23:10:00');
		expect(convertField(contextIn(LA, ''), orderDate, '2024-03-10T07:10:00Z')).toBe('2024-03-09 23:10:00');
		expect(convertField(contextIn(TOKYO, '  '), orderDate, '2024-03-10T07:10:00Z')).toBe('2024-03-10 16:10:00');
	});

	it('converts a JS Date and a Luxon DateTime as instants', () => {
		const date = new Date(Date.UTC(2024, 6, 1, 12, 0, 0));
		expect(convertField(contextIn(UTC, LA), orderDate, date)).toBe('2024-07-01 05:00:00');
		const luxon = DateTime.fromObject({ year: 2024, month: 7, day: 1, hour: 21 }, { zone: TOKYO });
		expect(convertField(contextIn(UTC, LA), orderDate, luxon)).toBe('2024-07-01 05:00:00');
		expect(convertField(contextIn(UTC, TOKYO), orderDate, luxon)).toBe('2024-07-01 21:00:00');
	});

	it('reads objects that only have toISO or only toJSDate', () => {
		const onlyIso = { toISO: () => '2024-07-01T21:00:00.000+09:00' };
		const onlyJsDate = { toJSDate: () => new Date('2024-07-01T12:00:00Z') };
		expect(convertField(contextIn(UTC, LA), orderDate, onlyIso)).toBe('2024-07-01 05:00:00');
		expect(convertField(contextIn(UTC, LA), orderDate, onlyJsDate)).toBe('2024-07-01 05:00:00');
	});

	it('follows daylight saving time (Los Angeles, spring forward and fall back of 2024)', () => {
		const at = (iso: string) => convertField(contextIn(UTC, LA), orderDate, iso);
		expect(at('2024-03-10T09:59:59Z')).toBe('2024-03-10 01:59:59');
		expect(at('2024-03-10T10:00:00Z')).toBe('2024-03-10 03:00:00');
		expect(at('2024-11-03T08:30:00Z')).toBe('2024-11-03 01:30:00');
		expect(at('2024-11-03T09:30:00Z')).toBe('2024-11-03 01:30:00');
		expect(at('2024-01-15T12:00:00Z')).toBe('2024-01-15 04:00:00');
		expect(at('2024-07-15T12:00:00Z')).toBe('2024-07-15 05:00:00');
	});

	it('handles offsets with minutes and cuts fractions of a second off instead of rounding', () => {
		expect(convertField(contextIn(UTC, UTC), orderDate, '2024-01-01T05:29:59.999+05:30')).toBe('2023-12-31 23:59:59');
		expect(convertField(contextIn(UTC, 'Asia/Kathmandu'), orderDate, '2024-01-01T00:00:00Z')).toBe('2024-01-01 05:45:00');
	});

	it('checks the register date year as the account sees it', () => {
		expect(convertField(contextIn(UTC, MOSCOW), registerDate, '2009-12-31T22:00:00Z')).toBe('2010-01-01 01:00:00');
		expect(() => convertField(contextIn(MOSCOW, UTC), registerDate, '2009-12-31T22:00:00Z')).toThrow(
			'Invalid value for "Register Date" in item 2: the year must be between 2010 and',
		);
	});

	it('rejects an account time zone that does not exist, naming the credential field', () => {
		let error: unknown;
		try {
			convertField(contextIn(LA, 'Mars/Olympus'), orderDate, '2024-03-10T07:10:00Z');
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toBe('"Mars/Olympus" is not a time zone');
		expect((error as NodeOperationError).description).toMatch(/^Fix "Account Time Zone" in the Loymax SC credential/);
		expect((error as NodeOperationError).context.itemIndex).toBe(2);
		// A value without a zone needs no conversion, and a date-only field uses the workflow zone.
		expect(convertField(contextIn(LA, 'Mars/Olympus'), birthDate, '1990-05-15T02:00:00Z')).toBe('1990-05-14');
	});
});

describe('values without a time zone are sent as written', () => {
	it.each([
		['2024-03-10T07:10:00', '2024-03-10 07:10:00'],
		['2024-03-10 07:10:00', '2024-03-10 07:10:00'],
		['2024-03-10T07:10', '2024-03-10 07:10:00'],
		['2024-03-10T07:10:05.999', '2024-03-10 07:10:05'],
		['  2024-03-10 07:10:00  ', '2024-03-10 07:10:00'],
		['2024-03-10', '2024-03-10 00:00:00'],
	])('%s → %s in every zone', (raw, sent) => {
		for (const [workflow, account] of [[LA, TOKYO], [UTC, undefined], [MOSCOW, LA]] as const) {
			expect(convertField(contextIn(workflow, account), orderDate, raw)).toBe(sent);
		}
	});

	it('keeps the date of a date-only field as written', () => {
		expect(convertField(contextIn(LA, TOKYO), birthDate, '1990-05-15')).toBe('1990-05-15');
		expect(convertField(contextIn(TOKYO, LA), birthDate, '1990-05-15T23:30:00')).toBe('1990-05-15');
		expect(convertField(contextIn(TOKYO, LA), birthDate, '1990-05-15 00:00:00')).toBe('1990-05-15');
	});
});

describe('date-only fields take the calendar date in the workflow time zone', () => {
	it('takes the date of an instant where the workflow is, not in UTC, the process or the account zone', () => {
		// 02:00 UTC on 15 May is still 14 May in Los Angeles, already 15 May in Moscow and Tokyo.
		expect(convertField(contextIn(LA, TOKYO), birthDate, '1990-05-15T02:00:00Z')).toBe('1990-05-14');
		expect(convertField(contextIn(MOSCOW, LA), birthDate, '1990-05-15T02:00:00Z')).toBe('1990-05-15');
		expect(convertField(contextIn(TOKYO), birthDate, '1990-05-14T20:00:00-04:00')).toBe('1990-05-15');
	});

	it('never shifts the day of midnight in the workflow zone, whatever its offset (a Luxon date from the workflow)', () => {
		for (const zone of [LA, MOSCOW, TOKYO, UTC, 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
			const midnight = DateTime.fromObject({ year: 1990, month: 5, day: 15 }, { zone });
			expect(convertField(contextIn(zone, UTC), birthDate, midnight)).toBe('1990-05-15');
			expect(convertField(contextIn(zone, UTC), birthDate, midnight.toISO())).toBe('1990-05-15');
			expect(convertField(contextIn(zone, UTC), birthDate, midnight.toJSDate())).toBe('1990-05-15');
		}
	});

	it('sends new Date(1990, 4, 15) made on a Moscow server as 1990-05-15 for a Moscow workflow', () => {
		const madeInMoscow = new Date(1990, 4, 15);
		expect(madeInMoscow.toISOString()).toBe('1990-05-14T20:00:00.000Z');
		expect(convertField(contextIn(MOSCOW, UTC), birthDate, madeInMoscow)).toBe('1990-05-15');
	});
});

describe('invalid dates are rejected before anything is sent', () => {
	it.each([
		['2024-02-30', '"2024-02-30" is not a date'],
		['2023-02-29T10:00:00Z', '"2023-02-29T10:00:00Z" is not a date'],
		['2024-13-01T00:00:00Z', '"2024-13-01T00:00:00Z" is not a date'],
		['2024-05-01T10:00:99', '"2024-05-01T10:00:99" is not a date'],
		['2024-05-01T24:00:00', '"2024-05-01T24:00:00" is not a date'],
		['2024-05-01T10:00:00+25:00', '"2024-05-01T10:00:00+25:00" is not a date'],
		['2024-05-01T10:00:00 Europe/Moscow', '"2024-05-01T10:00:00 Europe/Moscow" is not a date'],
		['yesterday', '"yesterday" is not a date'],
		[1714557600000, '"1714557600000" is not a date'],
		[new Date(Number.NaN), '"Invalid Date" is not a date'],
		[DateTime.invalid('bad input'), '"Invalid DateTime" is not a date'],
		[DateTime.fromISO('2024-99-99'), '"Invalid DateTime" is not a date'],
		[{ toISO: () => null }, '"{}" is not a date'],
	])('%p', (raw, problem) => {
		for (const field of [orderDate, birthDate]) {
			expect(() => convertField(contextIn(LA, TOKYO), field, raw)).toThrow(`Invalid value for "${field.label}" in item 2: ${problem}`);
		}
	});

	it('treats an empty value as not set, or as missing when the field is required', () => {
		expect(convertField(contextIn(LA), orderDate, '')).toBeUndefined();
		expect(convertField(contextIn(LA), birthDate, null)).toBeUndefined();
		expect(() => convertField(contextIn(LA), registerDate, '  ')).toThrow('Invalid value for "Register Date" in item 2: a value is required');
	});
});

describe('the conversion does not depend on the zone of the process', () => {
	afterEach(() => setProcessTimeZone(PROCESS_ZONE));

	it('gives the same answers with the process in Moscow, Los Angeles, UTC and Tokyo', () => {
		const inputs: Array<[FieldSpec, unknown, string, string | undefined]> = [
			[orderDate, '2024-03-10T07:10:00Z', LA, TOKYO],
			[orderDate, '2024-11-03T09:30:00+01:00', UTC, LA],
			[orderDate, '2024-03-10 07:10:00', TOKYO, LA],
			[orderDate, new Date(Date.UTC(2024, 2, 31, 0, 30)), UTC, MOSCOW],
			[birthDate, '1990-05-15T02:00:00Z', LA, UTC],
			[birthDate, '1990-05-15T02:00:00Z', MOSCOW, UTC],
			[birthDate, '1990-05-15', TOKYO, LA],
		];
		const answers = (zone: string) => {
			setProcessTimeZone(zone);
			expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(zone);
			return inputs.map(([field, raw, workflow, account]) => convertField(contextIn(workflow, account), field, raw));
		};
		const inMoscow = answers(MOSCOW);
		expect(inMoscow).toEqual(['2024-03-10 16:10:00', '2024-11-03 01:30:00', '2024-03-10 07:10:00', '2024-03-31 03:30:00', '1990-05-14', '1990-05-15', '1990-05-15']);
		for (const zone of [LA, UTC, TOKYO]) expect(answers(zone)).toEqual(inMoscow);
	});

	it('reads the wall clock of an instant in any zone through Intl', () => {
		const epoch = Date.UTC(2024, 2, 31, 0, 30);
		expect(formatDateTime(wallClockIn(epoch, 'Europe/Berlin'))).toBe('2024-03-31 01:30:00');
		expect(formatDateTime(wallClockIn(epoch + 3_600_000, 'Europe/Berlin'))).toBe('2024-03-31 03:30:00');
		expect(formatDateTime(wallClockIn(Date.UTC(2024, 0, 1, 0, 0, 0), 'America/New_York'))).toBe('2023-12-31 19:00:00');
		expect(parseDateInput('2024-03-10 07:10:00')).toEqual({
			kind: 'wallClock',
			wallClock: { year: 2024, month: 3, day: 10, hour: 7, minute: 10, second: 0 },
		});
		expect(parseDateInput('2024-03-10T10:10:00+03:00')).toEqual({ kind: 'instant', epochMs: Date.UTC(2024, 2, 10, 7, 10) });
	});
});

describe('through n8n: what Loymax SC receives', () => {
	afterEach(() => setGlobalState({ defaultTimezone: 'America/New_York' }));

	const upsert = (registerDateValue: string, birthDateValue: string) => ({
		resource: 'customer',
		operation: 'upsert',
		localId: '={{ $json.id }}',
		registerDate: registerDateValue,
		additionalFields: { firstName: 'Zoe', birthDate: birthDateValue },
	});

	it('sends instants in the workflow zone (Los Angeles, the process in Moscow) and zone-less values as written', async () => {
		setGlobalState({ defaultTimezone: LA });
		await withFixture({}, {}, async (fx) => {
			const items = [
				{ id: 'TZ-1', registered: '2024-03-10T07:10:00Z', born: '1990-05-15T02:00:00Z' },
				{ id: 'TZ-2', registered: '2024-03-10T10:10:00+03:00', born: '1990-05-15' },
				{ id: 'TZ-3', registered: '2024-03-10 07:10:00', born: '1990-05-15T12:00:00' },
			];
			const result = await fx.run({ parameters: upsert('={{ $json.registered }}', '={{ $json.born }}'), items });
			expect(result.error).toBeUndefined();
			expect(apiRequests(fx).map((entry) => sentAttributes(entry))).toEqual([
				{ local_id: 'TZ-1', register_date: '2024-03-09 23:10:00', first_name: 'Zoe', birth_date: '1990-05-14' },
				{ local_id: 'TZ-2', register_date: '2024-03-09 23:10:00', first_name: 'Zoe', birth_date: '1990-05-15' },
				{ local_id: 'TZ-3', register_date: '2024-03-10 07:10:00', first_name: 'Zoe', birth_date: '1990-05-15' },
			]);
		});
	});

	it('sends JS Date and Luxon expression results by their instant: a Moscow date stays 15 May in a Moscow workflow', async () => {
		setGlobalState({ defaultTimezone: MOSCOW });
		await withFixture({}, {}, async (fx) => {
			const result = await fx.run({
				parameters: upsert('={{ new Date(Date.UTC(2024, 6, 1, 12, 0, 0)) }}', '={{ new Date(1990, 4, 15) }}'),
				items: [{ id: 'TZ-4' }],
			});
			expect(result.error).toBeUndefined();
			const luxon = await fx.run({
				parameters: upsert('={{ DateTime.fromISO("2024-07-01T12:00:00Z") }}', '={{ DateTime.fromObject({ year: 1990, month: 5, day: 15 }) }}'),
				items: [{ id: 'TZ-5' }],
			});
			expect(luxon.error).toBeUndefined();
			expect(apiRequests(fx).map((entry) => sentAttributes(entry))).toEqual([
				{ local_id: 'TZ-4', register_date: '2024-07-01 15:00:00', first_name: 'Zoe', birth_date: '1990-05-15' },
				{ local_id: 'TZ-5', register_date: '2024-07-01 15:00:00', first_name: 'Zoe', birth_date: '1990-05-15' },
			]);
		});
	});
});
