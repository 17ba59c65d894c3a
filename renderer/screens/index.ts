/** One screen per station mode: adding a mode's screens is one entry here. */
import type { ComponentType } from 'react';
import type { StationMode } from '../../core/access';
import { DeskScreen } from './desk/DeskScreen';
import { DoorScreen } from './door/DoorScreen';
import { KioskScreen } from './kiosk/KioskScreen';
import { SupervisorScreen } from './supervisor/SupervisorScreen';

export const screens: Record<StationMode, ComponentType> = {
  kiosk: KioskScreen,
  desk: DeskScreen,
  door: DoorScreen,
  supervisor: SupervisorScreen,
};
