/**
 * grammY's declarations name the `abort-controller` polyfill's AbortSignal; grammY only listens
 * for `abort` on the signal it is given, which Node's own signal does the same way.
 */
import type { Api } from 'grammy';

export type GrammySignal = Parameters<Api['sendMessage']>[3];

export function grammySignal(signal: AbortSignal): GrammySignal {
  return signal as unknown as GrammySignal;
}
