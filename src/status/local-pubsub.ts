import type { PubSub } from 'type-graphql';
import { EventQueue } from './event-queue.js';

/**
 * type-graphql 2 wants a `pubSub` as soon as one @Subscription exists. Our subscriptions bring
 * their own `subscribe` (the StatusHub, which goes through Redis when configured), so this one only
 * serves topic-based subscriptions inside one process; none is declared today.
 */
export class LocalPubSub implements PubSub {
  private readonly topics = new Map<string, Set<EventQueue<unknown>>>();

  publish(routingKey: string, ...args: unknown[]): void {
    for (const q of this.topics.get(routingKey) ?? []) q.push(args[0]);
  }

  subscribe(routingKey: string): AsyncIterable<unknown> {
    let set = this.topics.get(routingKey);
    if (!set) this.topics.set(routingKey, (set = new Set()));
    const queues = set;
    const q: EventQueue<unknown> = new EventQueue(() => {
      queues.delete(q);
      if (!queues.size && this.topics.get(routingKey) === queues) this.topics.delete(routingKey);
    });
    queues.add(q);
    return q;
  }
}
