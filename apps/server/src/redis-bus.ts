import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { Bus } from '@bistro/api';

/**
 * The bus over Redis pub/sub, so a change on one instance reaches every instance. Pub/sub
 * delivers only to connected subscribers: after a reconnect, listeners are told to resync.
 */
export class RedisBus implements Bus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();
  /** Per topic, settles when Redis has confirmed the SUBSCRIBE. */
  private readonly subscribed = new Map<string, Promise<void>>();
  private readonly resyncHandlers = new Set<() => void>();
  private readyOnce = false;

  constructor(url: string, private readonly log: FastifyBaseLogger) {
    this.pub = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.sub = new Redis(url, { maxRetriesPerRequest: null });
    for (const connection of [this.pub, this.sub]) connection.on('error', (error: Error) => log.warn({ err: error }, 'redis bus error'));
    this.sub.on('message', (topic: string, message: string) => {
      for (const handler of this.handlers.get(topic) ?? []) handler(message);
    });
    this.sub.on('ready', () => {
      if (this.readyOnce) for (const handler of this.resyncHandlers) handler();
      this.readyOnce = true;
    });
  }

  publish(topic: string, message: string): void {
    this.pub.publish(topic, message).catch((error: unknown) => {
      this.log.warn({ err: error, topic }, 'could not publish on the redis bus');
    });
  }

  subscribe(topic: string, handler: (message: string) => void, onSubscribed?: () => void): () => void {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
      this.subscribed.set(
        topic,
        this.sub.subscribe(topic).then(
          () => undefined,
          (error: unknown) => this.log.warn({ err: error, topic }, 'could not subscribe'),
        ),
      );
    }
    set.add(handler);
    let active = true;
    if (onSubscribed) void this.subscribed.get(topic)?.then(() => active && onSubscribed());
    return () => {
      active = false;
      set.delete(handler);
      if (set.size === 0 && this.handlers.get(topic) === set) {
        this.handlers.delete(topic);
        this.subscribed.delete(topic);
        void this.sub.unsubscribe(topic).catch(() => {});
      }
    };
  }

  onResync(handler: () => void): () => void {
    this.resyncHandlers.add(handler);
    return () => this.resyncHandlers.delete(handler);
  }

  /** Resolves once the subscriber connection is ready (tests and start-up). */
  async ready(): Promise<void> {
    if (this.sub.status === 'ready') return;
    await new Promise<void>((resolve) => this.sub.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    await Promise.all([this.pub.quit().catch(() => this.pub.disconnect()), this.sub.quit().catch(() => this.sub.disconnect())]);
  }
}
