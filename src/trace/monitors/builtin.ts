import { dialogsComplete } from './dialogs-complete.js';
import type { Monitor } from './monitor.js';
import { noMediaAfterRelease } from './no-media-after-release.js';
import { noMessageLost } from './no-message-lost.js';
import { noRoutingAfterDeregistration } from './no-routing-after-deregistration.js';
import { oneNotification } from './one-notification.js';
import { transactionsAnswered } from './transactions-answered.js';

/** The invariants every explored run is checked against, whatever the scenario. */
export const BUILTIN_MONITORS: readonly Monitor[] = [noMessageLost, oneNotification, transactionsAnswered, dialogsComplete, noMediaAfterRelease, noRoutingAfterDeregistration];
