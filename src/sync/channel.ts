import type { SyncEvent } from './protocol.ts';

const CHANNEL_NAME = 'couverture-sync';

let channel: BroadcastChannel | undefined;

/** Tells every other page and the service worker of this origin what happened. */
export function announce(event: SyncEvent): void {
  if (typeof BroadcastChannel === 'undefined') return;
  channel ??= new BroadcastChannel(CHANNEL_NAME);
  channel.postMessage(event);
}

/** Returns the function that stops listening. */
export function listen(onEvent: (event: SyncEvent) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => {};
  const listener = new BroadcastChannel(CHANNEL_NAME);
  listener.onmessage = (message: MessageEvent<SyncEvent>) => onEvent(message.data);
  return () => listener.close();
}
