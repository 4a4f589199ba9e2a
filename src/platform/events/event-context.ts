import type { ClsService } from 'nestjs-cls';
import { CLS_ACTOR, type Actor } from '../identity/domain/actor.js';

/**
 * nestjs-cls key holding the causal context while a consumer (or a timer) runs: events it
 * publishes inherit the handled event's correlation id, take its id as causation id, and its
 * actor when no user is signed in.
 */
export const CLS_EVENT_CONTEXT = 'crm:event-context';

export interface EventCausalContext {
  correlationId: string | null;
  causationId: string | null;
  actorId: string | null;
}

/** Actor, correlation and causation ids for an event published now. */
export function currentCausalContext(cls: ClsService): EventCausalContext {
  if (!cls.isActive()) return { actorId: null, correlationId: null, causationId: null };
  const handling = cls.get<EventCausalContext | undefined>(CLS_EVENT_CONTEXT);
  const actor = cls.get<Actor | undefined>(CLS_ACTOR);
  return {
    actorId: actor?.id ?? handling?.actorId ?? null,
    correlationId: handling?.correlationId ?? cls.getId() ?? null,
    causationId: handling?.causationId ?? null,
  };
}
