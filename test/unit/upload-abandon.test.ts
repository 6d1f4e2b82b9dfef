import { describe, expect, it } from 'vitest';
import { abandonUploadsInFlight, NETWORK_CHANGED_MESSAGE, noteNetworkGone, uploadBatch } from '../../src/sync/upload.ts';
import { json } from './fake-server.ts';
import { makeReading } from './helpers.ts';

/** A network whose requests are never answered, as on a connection gone with the old network, until their signal aborts. */
const deadConnection: typeof fetch = (_input, init) =>
  new Promise((_resolve, reject) => {
    init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
  });

describe('abandonUploadsInFlight', () => {
  it('ends the uploads that were under way when the network went as unavailable, to be tried again', async () => {
    const uploads = [uploadBatch([makeReading()], deadConnection), uploadBatch([makeReading()], deadConnection)];
    noteNetworkGone();
    abandonUploadsInFlight();
    for (const outcome of await Promise.all(uploads)) expect(outcome).toEqual({ kind: 'unavailable', message: NETWORK_CHANGED_MESSAGE });
  });

  it('leaves alone the uploads begun after it', async () => {
    abandonUploadsInFlight();
    const reading = makeReading();
    const outcome = await uploadBatch([reading], async (_input, init) => {
      expect(init?.signal?.aborted).toBe(false);
      return json(200, { accepted: [reading.id], duplicates: [], rejected: [] });
    });
    expect(outcome).toEqual({ kind: 'answered', response: { accepted: [reading.id], duplicates: [], rejected: [] } });
  });

  it('leaves alone an upload begun once the network was back, when another tab says late that it is', async () => {
    noteNetworkGone();
    abandonUploadsInFlight();
    // The first tab's send, on its way; a busy second tab hears `online` only now.
    const reading = makeReading();
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const upload = uploadBatch([reading], async (_input, init) => {
      await answered;
      expect(init?.signal?.aborted).toBe(false);
      return json(200, { accepted: [reading.id], duplicates: [], rejected: [] });
    });
    abandonUploadsInFlight();
    answer();
    expect(await upload).toEqual({ kind: 'answered', response: { accepted: [reading.id], duplicates: [], rejected: [] } });
  });
});
