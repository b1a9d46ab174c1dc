import type { Actor } from '../auth/actor';
import { forbidden } from '../errors';

// What a device may report on: versions of its own workspace, and for drift and serving statistics
// only the ones it runs, ran before, or was told to run. A report on anything else would let one
// device raise alerts (and retrainings) about another workspace's models.

type DeviceActor = Extract<Actor, { kind: 'device' }>;

/** Throws unless every named version belongs to the device's workspace. */
export function assertVersionsOfDeviceWorkspace(
  device: DeviceActor,
  versions: Array<{ id: string; workspaceId: string }>,
  named: string[],
): void {
  for (const id of named) {
    const found = versions.find((v) => v.id === id);
    if (!found || found.workspaceId !== device.workspaceId) throw forbidden(`model version ${id} is not one of this device’s workspace`);
  }
}

/** Throws unless the report's version is one the device runs, ran before or was told to run, in its workspace. */
export function assertReportableVersion(
  device: DeviceActor,
  version: { id: string; workspaceId: string } | undefined,
  itsVersions: Array<string | null | undefined>,
): void {
  if (!version || version.workspaceId !== device.workspaceId) throw forbidden('this report names a model version of another workspace');
  if (!itsVersions.includes(version.id))
    throw forbidden('this report names a model version the device neither runs, ran before, nor was told to run');
}
