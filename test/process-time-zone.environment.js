'use strict';
/**
 * A jest environment that runs a test file with the process in another time zone.
 *
 * Jest gives each test file a copy of process.env, so `process.env.TZ = ...` inside a test does
 * not reach Node; this environment sets TZ on the real process (before the file loads) and lets
 * the file switch it with `setProcessTimeZone(zone)`. Use it with the docblock
 *   @jest-environment ./test/process-time-zone.environment.js
 *   @jest-environment-options {"timeZone": "Europe/Moscow"}
 */
const { TestEnvironment } = require('jest-environment-node');

class ProcessTimeZoneEnvironment extends TestEnvironment {
	constructor(config, context) {
		super(config, context);
		this.originalZone = process.env.TZ;
		const zone = config.projectConfig.testEnvironmentOptions.timeZone;
		const setZone = (name) => {
			if (typeof name !== 'string' || name === '') throw new Error('setProcessTimeZone needs an IANA zone name');
			process.env.TZ = name;
		};
		if (zone) setZone(zone);
		this.global.setProcessTimeZone = setZone;
	}

	async teardown() {
		if (this.originalZone === undefined) delete process.env.TZ;
		else process.env.TZ = this.originalZone;
		await super.teardown();
	}
}

module.exports = ProcessTimeZoneEnvironment;
