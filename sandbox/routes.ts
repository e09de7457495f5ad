/**
 * The complete route table of the sandbox API.
 */
import { tokenHandler } from './auth';
import { communicationRoutes } from './communication';
import { customerRoutes } from './customer';
import { RESOURCES, resourceRoutes } from './resources';
import type { Route } from './router';
import { route, Router } from './router';

export const ROUTES: Route[] = [
	route('POST', '/token', tokenHandler, { auth: false, body: 'wrapped' }),
	...RESOURCES.flatMap(resourceRoutes),
	...customerRoutes,
	...communicationRoutes,
];

export const createRouter = (): Router => new Router(ROUTES);
