/** The desktop app's OS notifications (issue 14): which station events interrupt someone, on which stations. */
import { Subject } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import type { StationEvent } from '../../core/events';
import { showOsNotifications } from '../../main/electron/os-notifications';
import { FakeNotification } from './fake-electron';

const notification = (kind: string, title: string): StationEvent =>
  ({
    type: 'notification',
    kind,
    audience: 'supervisors',
    title,
    message: `${title}: details`,
    at: new Date(0).toISOString(),
    caseId: 'c1',
    sessionId: 's1',
    registrantId: 'r1',
    resolutionId: null,
  }) as StationEvent;

describe('OS notifications', () => {
  it('a supervisor station shows new cases, escalations and lost or refused resolutions; a click brings the window forward', () => {
    FakeNotification.shown = [];
    const events$ = new Subject<StationEvent>();
    const focus = vi.fn();
    const sub = showOsNotifications(events$, 'supervisor', FakeNotification, focus)!;
    events$.next(notification('case.opened', 'Oversold: Workshop'));
    events$.next(notification('case.resolved', 'Case resolved: Workshop'));
    events$.next(notification('resolution.lost', 'Your reverse was not applied'));
    events$.next({ type: 'connectivity', state: 'offline', reason: 'cable' } as StationEvent);
    events$.next(notification('case.escalated', 'Due soon: Workshop'));
    expect(FakeNotification.shown.map((n) => n.options.title)).toEqual([
      'Oversold: Workshop',
      'Your reverse was not applied',
      'Due soon: Workshop',
    ]);
    expect(FakeNotification.shown[0]!.options.body).toBe('Oversold: Workshop: details');
    FakeNotification.shown[0]!.emit('click');
    expect(focus).toHaveBeenCalledTimes(1);
    sub.unsubscribe();
    events$.next(notification('case.opened', 'after'));
    expect(FakeNotification.shown).toHaveLength(3);
  });

  it('kiosks and doors never show one, nor a system without notifications', () => {
    FakeNotification.shown = [];
    const events$ = new Subject<StationEvent>();
    expect(showOsNotifications(events$, 'kiosk', FakeNotification, () => {})).toBeNull();
    expect(showOsNotifications(events$, 'door', FakeNotification, () => {})).toBeNull();
    const unsupported = Object.assign(class extends FakeNotification {}, { isSupported: () => false });
    expect(showOsNotifications(events$, 'supervisor', unsupported, () => {})).toBeNull();
    events$.next(notification('case.opened', 'Oversold'));
    expect(FakeNotification.shown).toEqual([]);
  });
});
