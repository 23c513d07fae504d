import type { BusMessage } from './bus.js';

/**
 * Bus messages cross Redis as JSON. Domain objects carry `Date`s (DateTime fields, staleness checks),
 * so dates travel tagged and come back as `Date`s: a replica resolves exactly what the poller saw.
 */
const DATE_TAG = '$date';

export function encodeMessage(msg: BusMessage): string {
  return JSON.stringify(msg, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? { [DATE_TAG]: raw.getTime() } : value;
  });
}

export function decodeMessage(text: string): BusMessage {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const tagged = (value as Record<string, unknown>)[DATE_TAG];
      if (typeof tagged === 'number' && Object.keys(value).length === 1) return new Date(tagged);
    }
    return value;
  }) as BusMessage;
}
