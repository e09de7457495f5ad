import type { ResourceSpec } from '../shared/operation';
import { blacklist } from './blacklist';
import { product, productCategory } from './catalog';
import { connection } from './connection';
import { customer } from './customer';
import { customerBonus } from './customerBonus';
import { customerChannel } from './customerChannel';
import { customerContact } from './customerContact';
import { customerDevice } from './customerDevice';
import { customerMarker } from './customerMarker';
import { customerSubscription } from './customerSubscription';
import { dictionary, dictionaryItem } from './dictionary';
import { event } from './event';
import { emailMailing, pushMailing, smsMailing } from './mailing';
import { messageEvent } from './messageEvent';
import { order } from './order';
import { poll } from './poll';
import { promoCodeGroup } from './promoCodeGroup';
import { webEvent } from './webEvent';

/** Every resource of the node, in the order of the Resource list. */
export const resources: ResourceSpec[] = [
	customer,
	customerSubscription,
	customerChannel,
	customerContact,
	customerDevice,
	customerBonus,
	customerMarker,
	order,
	event,
	webEvent,
	product,
	productCategory,
	emailMailing,
	smsMailing,
	pushMailing,
	messageEvent,
	poll,
	blacklist,
	promoCodeGroup,
	dictionary,
	dictionaryItem,
	connection,
];
