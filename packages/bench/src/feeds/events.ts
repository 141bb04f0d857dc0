// The events feed: a GitHub-style public event stream, modelled on the 30 real events of
// github-events.sample.json. Fourteen event types in the proportions of a public timeline, each
// with its own payload (eventPayloads.ts), so the stream has ~225 columns of which a record
// fills about 32; ~1.6 KB of JSON per event. Event ids are unique strings counting down
// from above 2^31, as the API lists newest first; times go back a second or so per event.
import {
  commitCommentPayload,
  createPayload,
  deletePayload,
  type EventContext,
  forkPayload,
  gollumPayload,
  issueCommentPayload,
  issuesPayload,
  publicPayload,
  pullRequestPayload,
  pullRequestReviewCommentPayload,
  pullRequestReviewPayload,
  pushPayload,
  releasePayload,
  SERIAL_START,
  type SerialKind,
  watchPayload,
} from './eventPayloads';
import { githubPools } from './githubPools';
import { pickWeighted, Random, isoSeconds, weighted } from './random';

export type EventType =
  | 'PushEvent'
  | 'CreateEvent'
  | 'WatchEvent'
  | 'IssueCommentEvent'
  | 'PullRequestEvent'
  | 'IssuesEvent'
  | 'ForkEvent'
  | 'DeleteEvent'
  | 'PullRequestReviewCommentEvent'
  | 'PullRequestReviewEvent'
  | 'GollumEvent'
  | 'ReleaseEvent'
  | 'CommitCommentEvent'
  | 'PublicEvent';

/** Each type's payload builder and its share of the stream (per mille). */
export const EVENT_TYPES: Record<EventType, { share: number; payload: (context: EventContext) => Record<string, unknown> }> = {
  PushEvent: { share: 440, payload: pushPayload },
  CreateEvent: { share: 120, payload: createPayload },
  WatchEvent: { share: 100, payload: watchPayload },
  IssueCommentEvent: { share: 80, payload: issueCommentPayload },
  PullRequestEvent: { share: 60, payload: pullRequestPayload },
  IssuesEvent: { share: 40, payload: issuesPayload },
  ForkEvent: { share: 35, payload: forkPayload },
  DeleteEvent: { share: 30, payload: deletePayload },
  PullRequestReviewCommentEvent: { share: 25, payload: pullRequestReviewCommentPayload },
  PullRequestReviewEvent: { share: 20, payload: pullRequestReviewPayload },
  GollumEvent: { share: 15, payload: gollumPayload },
  ReleaseEvent: { share: 12, payload: releasePayload },
  CommitCommentEvent: { share: 10, payload: commitCommentPayload },
  PublicEvent: { share: 5, payload: publicPayload },
};

/** The newest event's id and time: the ids count down from here (strings; above 2^31 as numbers). */
export const FIRST_EVENT_ID = 26_000_000_000;
export const FIRST_EVENT_MS = Date.UTC(2013, 0, 10, 7, 58, 30);

/**
 * The events of `seed`, one per call: the n-th call returns the same event for any feed size,
 * so files of any size are prefixes of each other. Nothing is kept between calls but the pools
 * (built once, ~14,600 users, organisations and repositories) and counters.
 */
export function eventSource(seed: number): () => Record<string, unknown> {
  const random = new Random(seed);
  const pools = githubPools(seed);
  const types = weighted(Object.entries(EVENT_TYPES).map(([type, { share }]) => [type as EventType, share] as const));
  const serials = { ...SERIAL_START };
  const serial = (kind: SerialKind) => (serials[kind] += random.int(1, 40));
  let eventId = FIRST_EVENT_ID;
  let nowMs = FIRST_EVENT_MS;
  return () => {
    const type = pickWeighted(random, types);
    const actor = pools.users[random.zipf(pools.userRanks)];
    // A user's events are mostly in their own repositories, else in a popular one.
    const repo = type === 'PublicEvent' || random.chance(0.5) ? pools.repos[random.zipf(pools.repoRanks)] : pools.repos[(actor.id * 7) % pools.repos.length];
    const context: EventContext = { random, pools, nowMs, actor, repo, serial };
    const payload = EVENT_TYPES[type].payload(context);
    const event: Record<string, unknown> = { type, created_at: isoSeconds(nowMs), actor: actor.actor, repo: repo.ref, public: true };
    if (repo.owner.organization && random.chance(0.9)) event.org = repo.owner.actor;
    event.payload = payload;
    event.id = String(eventId);
    eventId -= random.int(1, 9);
    nowMs -= random.int(0, 1500);
    return event;
  };
}
