import { EventEmitter } from 'node:events';

/**
 * Messages between server instances: menu and session cache invalidations, and the doorbell of
 * the live order feeds ("location L has new events"; the events themselves are read from the
 * database). In one process it is an EventEmitter; the server swaps in Redis pub/sub when
 * REDIS_URL is set.
 */
export interface Bus {
  publish(topic: string, message: string): void;
  /**
   * Returns a function that unsubscribes. `onSubscribed` is called once messages on the topic
   * are sure to arrive (over Redis, when the SUBSCRIBE is confirmed): anything published before
   * that may have been missed, so a listener that reads state should read it again then.
   */
  subscribe(topic: string, handler: (message: string) => void, onSubscribed?: () => void): () => void;
  /** Called when messages may have been lost (a reconnect): listeners must assume anything changed. */
  onResync(handler: () => void): () => void;
}

export class InProcessBus implements Bus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(topic: string, message: string): void {
    this.emitter.emit(topic, message);
  }

  subscribe(topic: string, handler: (message: string) => void, onSubscribed?: () => void): () => void {
    this.emitter.on(topic, handler);
    // Live at once; told on the next tick like a remote bus would, never inside subscribe().
    if (onSubscribed) queueMicrotask(onSubscribed);
    return () => this.emitter.off(topic, handler);
  }

  onResync(): () => void {
    return () => {};
  }
}
