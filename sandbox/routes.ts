/**
 * The complete route table of the sandbox API.
 */
import { tokenHandler } from './auth';
import { communicationRoutes } from './communication';
import { customerRoutes } from './customer';
import { RESOURCES, resourceRoutes } from './resources';
import type { Route } from './router';
import { route, Router } from './router';

/**
 * Spellings the reference prints besides the canonical one (a doubled slash, a trailing slash).
 * They are answered because the reference prints them; any other extra slash is a 404, so a client
 * that starts sending one is caught. See docs/api-readings.md, "Paths".
 */
const DOCUMENTED_SPELLINGS: Record<string, string[]> = {
	'GET /communication/email': ['/communication/email/'],
	'GET /communication/sms': ['//communication/sms/'],
	'GET /communication/push': ['/communication/push/'],
	'GET /communication/poll': ['/communication/poll/'],
	'GET /communication/poll/:id': ['//communication/poll/:id'],
	'POST /customer/:local_id/marker': ['/customer/:local_id/marker/'],
	'GET /customer/:local_id/marker': ['/customer/:local_id/marker/'],
	'DELETE /customer/:local_id/marker': ['/customer/:local_id/marker/'],
};

export const ROUTES: Route[] = [
	route('POST', '/token', tokenHandler, { auth: false, body: 'own' }),
	...RESOURCES.flatMap(resourceRoutes),
	...customerRoutes,
	...communicationRoutes,
].map((r) => ({ ...r, documentedAs: DOCUMENTED_SPELLINGS[`${r.method} ${r.pattern}`] ?? [] }));

/** Every documented spelling belongs to a route (a typo in the table would silently do nothing). */
for (const key of Object.keys(DOCUMENTED_SPELLINGS)) {
	if (!ROUTES.some((r) => `${r.method} ${r.pattern}` === key)) throw new Error(`documented spelling of an unknown route: ${key}`);
}

export const createRouter = (): Router => new Router(ROUTES);
