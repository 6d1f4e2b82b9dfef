import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** A device's geolocation and permissions, driven by the test. */
function fakeDevice(permission: PermissionState) {
  const watches = new Map<number, (position: GeolocationPosition) => void>();
  let nextId = 1;
  let answerPermission: (() => void) | undefined;
  const permissionAnswered = new Promise<void>((resolve) => {
    answerPermission = resolve;
  });
  const device = {
    watches,
    watchPosition: vi.fn((onPosition: (position: GeolocationPosition) => void) => {
      const id = nextId++;
      watches.set(id, onPosition);
      return id;
    }),
    clearWatch: vi.fn((id: number) => watches.delete(id)),
    answerPermission: () => answerPermission!(),
    move(lat: number, lon: number) {
      const position = { coords: { latitude: lat, longitude: lon, accuracy: 8, altitude: null, speed: null, heading: null }, timestamp: 1_000 };
      for (const onPosition of watches.values()) onPosition(position as unknown as GeolocationPosition);
    },
  };
  vi.stubGlobal('navigator', {
    geolocation: { watchPosition: device.watchPosition, clearWatch: device.clearWatch },
    permissions: { query: async () => (await permissionAnswered, { state: permission }) },
  });
  return device;
}

async function loadWatch() {
  vi.resetModules();
  return import('../../src/app/survey/position-watch.ts');
}

beforeEach(() => vi.resetModules());
afterEach(() => vi.unstubAllGlobals());

describe('the shared position watch', () => {
  it('runs one watch for every holder and forgets the fix when the last lets go', async () => {
    const device = fakeDevice('granted');
    const { holdPosition, positionState } = await loadWatch();
    const releaseSurvey = holdPosition();
    const releaseMap = holdPosition();
    expect(device.watchPosition).toHaveBeenCalledTimes(1);
    device.move(43.61, 3.87);
    expect(positionState.get().state).toMatchObject({ status: 'ok', fix: { lat: 43.61, lon: 3.87, accuracyM: 8 } });
    releaseSurvey();
    releaseSurvey();
    expect(device.clearWatch).not.toHaveBeenCalled();
    releaseMap();
    expect(device.clearWatch).toHaveBeenCalledTimes(1);
    // A screen opened later never starts from an old position.
    expect(positionState.get().state).toEqual({ status: 'waiting' });
  });

  it('asks for the first fix at start when the position is already allowed, until a screen takes over', async () => {
    const device = fakeDevice('granted');
    const { holdPosition, holdPositionEarly, releaseEarlyPosition } = await loadWatch();
    device.answerPermission();
    await holdPositionEarly();
    expect(device.watchPosition).toHaveBeenCalledTimes(1);
    const releaseSurvey = holdPosition();
    releaseEarlyPosition();
    expect(device.watchPosition).toHaveBeenCalledTimes(1);
    expect(device.watches.size).toBe(1);
    releaseSurvey();
    expect(device.watches.size).toBe(0);
  });

  it('never asks for the permission at start', async () => {
    const device = fakeDevice('prompt');
    const { holdPositionEarly } = await loadWatch();
    device.answerPermission();
    await holdPositionEarly();
    expect(device.watchPosition).not.toHaveBeenCalled();
  });

  it('watches at once, without waiting for the permission’s answer, when the survey will be the first screen', async () => {
    const device = fakeDevice('prompt');
    const { holdPosition, holdPositionEarly, releaseEarlyPosition } = await loadWatch();
    // The survey's own watch will ask anyway: the start asks at once, unanswered.
    await holdPositionEarly({ surveyNext: true });
    expect(device.watchPosition).toHaveBeenCalledTimes(1);
    const releaseSurvey = holdPosition();
    releaseEarlyPosition();
    expect(device.watches.size).toBe(1);
    releaseSurvey();
    expect(device.watches.size).toBe(0);
  });

  it('takes no lease when the screen shown let go before the permission was answered', async () => {
    const device = fakeDevice('granted');
    const { holdPositionEarly, releaseEarlyPosition } = await loadWatch();
    const early = holdPositionEarly();
    releaseEarlyPosition();
    device.answerPermission();
    await early;
    expect(device.watchPosition).not.toHaveBeenCalled();
  });
});
