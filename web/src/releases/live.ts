import { useEffect, useRef } from 'react';
import { useSubscription } from 'urql';
import { graphql } from '../gql';

const ReleaseEventsSubscription = graphql(`
  subscription ReleaseEvents($releaseId: ID) {
    releaseEvents(releaseId: $releaseId) {
      action
      entityType
      entityId
      releaseId
      at
      resyncRequired
      release {
        id
        status
        allowedTransitions
        updatedAt
      }
    }
  }
`);

/**
 * Calls `onChange` when a release (or any release, without an id) changes on the server —
 * someone else's edit, a CI tool recording a deployment — so the screen refetches what it shows.
 * Bursts are coalesced into one call.
 */
export function useReleaseEvents(releaseId: string | null, onChange: () => void, delayMs = 400): void {
  const [{ data }] = useSubscription({ query: ReleaseEventsSubscription, variables: { releaseId } });
  const callback = useRef(onChange);
  useEffect(() => {
    callback.current = onChange;
  }, [onChange]);
  useEffect(() => {
    if (!data) return;
    const t = window.setTimeout(() => callback.current(), delayMs);
    return () => window.clearTimeout(t);
  }, [data, delayMs]);
}
