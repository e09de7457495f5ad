'use strict';
/**
 * `n8n execute --id` (CLI mode) starts a workflow only at a Manual Trigger (or an Execute Workflow
 * Trigger) and ignores pinned data. To run the examples headless, the trigger that cannot fire
 * (Form Trigger, Schedule Trigger, ...) is swapped for:
 *
 *   Manual Trigger "E2E start"  →  Code node with the trigger's name, returning the trigger's
 *                                  pinned items (or a representative item for schedules)
 *
 * Everything after the trigger stays as in the example and runs for real; expressions such as
 * `$('Sign-up form').item.json.Email` keep working because the node name is unchanged.
 */

const STARTERS = new Set(['n8n-nodes-base.manualTrigger', 'n8n-nodes-base.executeWorkflowTrigger']);

function isTrigger(node) {
	return /Trigger$/i.test(node.type) && !STARTERS.has(node.type);
}

/** Items a trigger would emit when nothing is pinned. */
function defaultTriggerItems(node, now = new Date()) {
	if (node.type === 'n8n-nodes-base.scheduleTrigger') {
		// Shape of the Schedule Trigger's output item.
		const pad = (n) => String(n).padStart(2, '0');
		return [
			{
				json: {
					timestamp: now.toISOString(),
					'Readable date': now.toUTCString(),
					'Readable time': `${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())}`,
					'Day of week': now.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' }),
					Year: String(now.getUTCFullYear()),
					Month: now.toLocaleDateString('en-US', { month: 'long', timeZone: 'UTC' }),
					'Day of month': pad(now.getUTCDate()),
					Hour: pad(now.getUTCHours()),
					Minute: pad(now.getUTCMinutes()),
					Second: pad(now.getUTCSeconds()),
					Timezone: 'UTC (UTC+00:00)',
				},
			},
		];
	}
	return [{ json: {} }];
}

/**
 * Returns a copy of `wf` that `n8n execute` can run. `opts.id` / `opts.name` rename it;
 * `opts.triggerItems` overrides the items the replaced trigger emits.
 */
function makeHeadless(wf, opts = {}) {
	const copy = JSON.parse(JSON.stringify(wf));
	if (opts.id) copy.id = opts.id;
	if (opts.name) copy.name = opts.name;
	else if (opts.id) copy.name = `${copy.name} [headless e2e]`;
	const triggers = copy.nodes.filter(isTrigger);
	if (triggers.length > 1) throw new Error(`${wf.name}: more than one trigger (${triggers.map((t) => t.name).join(', ')})`);
	const trigger = triggers[0];
	const info = { replacedTrigger: undefined, items: undefined };
	if (trigger) {
		const items = opts.triggerItems || copy.pinData?.[trigger.name] || defaultTriggerItems(trigger);
		const normalized = items.map((i) => (i && typeof i === 'object' && 'json' in i ? { json: i.json } : { json: i }));
		const idx = copy.nodes.indexOf(trigger);
		copy.nodes[idx] = {
			id: trigger.id,
			name: trigger.name,
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: trigger.position,
			parameters: {
				jsCode: `// e2e stand-in for the ${trigger.type} trigger: its pinned output\nreturn ${JSON.stringify(normalized, null, 2)};`,
			},
		};
		const start = { id: '00000000-0000-4000-8000-0000000e2e01', name: 'E2E start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [trigger.position[0] - 240, trigger.position[1]], parameters: {} };
		copy.nodes.push(start);
		copy.connections[start.name] = { main: [[{ node: trigger.name, type: 'main', index: 0 }]] };
		info.replacedTrigger = { name: trigger.name, type: trigger.type };
		info.items = normalized;
	}
	if (!copy.nodes.some((n) => STARTERS.has(n.type))) throw new Error(`${wf.name}: no node n8n execute can start at`);
	// Pinned data is ignored in CLI mode anyway; drop it so nothing looks pinned.
	copy.pinData = {};
	copy.active = false;
	return { workflow: copy, ...info };
}

module.exports = { makeHeadless, isTrigger, defaultTriggerItems };
