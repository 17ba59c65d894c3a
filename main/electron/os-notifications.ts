/**
 * OS notifications for what a supervisor must not miss while the window is behind another or minimised (issue 14):
 * a new oversell case, one about to reach its deadline, and a resolution of this station's that lost or was refused.
 * The screen raises its own toast for the same events; this is the operating system's copy. Only on stations that
 * serve staff who decide cases (supervisor and desk); a kiosk or a door never shows one.
 */
import type { Observable, Subscription } from 'rxjs';
import type { StationMode } from '../../core/access';
import type { StationEvent } from '../../core/events';

/** The kinds worth interrupting someone for; news such as "resolved" or "waitlist promoted" stays on the screen. */
export const osNotificationKinds = new Set(['case.opened', 'case.escalated', 'resolution.lost', 'resolution.refused']);

export interface NotificationApi {
  isSupported(): boolean;
  new (options: { title: string; body: string; silent?: boolean }): {
    show(): void;
    on(event: 'click', f: () => void): unknown;
  };
}

export function showOsNotifications(
  events$: Observable<StationEvent>,
  mode: StationMode,
  Notification: NotificationApi,
  onClick: () => void,
): Subscription | null {
  if (mode !== 'supervisor' && mode !== 'desk') return null;
  if (!Notification.isSupported()) return null;
  return events$.subscribe((e) => {
    if (e.type !== 'notification' || !osNotificationKinds.has(e.kind)) return;
    const n = new Notification({ title: e.title, body: e.message });
    n.on('click', onClick);
    n.show();
  });
}
