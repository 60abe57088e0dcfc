import { EventEmitter } from 'node:events';

/**
 * Messages between server instances: cache invalidations now, order events later. In one
 * process it is an EventEmitter; the server swaps in Redis pub/sub when REDIS_URL is set.
 */
export interface Bus {
  publish(topic: string, message: string): void;
  /** Returns a function that unsubscribes. */
  subscribe(topic: string, handler: (message: string) => void): () => void;
  /** Called when messages may have been lost (a reconnect): listeners must assume anything changed. */
  onResync(handler: () => void): () => void;
}

export class InProcessBus implements Bus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(topic: string, message: string): void {
    this.emitter.emit(topic, message);
  }

  subscribe(topic: string, handler: (message: string) => void): () => void {
    this.emitter.on(topic, handler);
    return () => this.emitter.off(topic, handler);
  }

  onResync(): () => void {
    return () => {};
  }
}
