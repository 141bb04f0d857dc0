// The payloads of the events feed, one builder per event type. The types in
// github-events.sample.json (Push, Create, Fork, Watch, Issues, IssueComment, Gollum) use its
// keys, in its order; the others (PullRequest, PullRequestReview, PullRequestReviewComment,
// Delete, Release, CommitComment, Public) follow the same API's shapes. Shared parts —
// the wide user objects, issues, pull requests, comments, labels — are one builder each, so the
// same path means the same shape in every event type.
import type { GithubPools, GithubRepo, GithubUser } from './githubPools';
import { isoSeconds, type Random } from './random';
import { body, commitMessage, title, words, WORDS } from './text';

export interface EventContext {
  random: Random;
  pools: GithubPools;
  /** The event's time (ms since the epoch). */
  nowMs: number;
  actor: GithubUser;
  repo: GithubRepo;
  /** A new unique id of a kind (issues, comments, pushes…): increasing, above 2^31. */
  serial: (kind: SerialKind) => number;
}

export type SerialKind = 'push' | 'issue' | 'comment' | 'pull' | 'review' | 'release' | 'asset' | 'fork';

/** Where each kind's ids start: all above 2^31, so none fits an int32 (float64 columns). */
export const SERIAL_START: Record<SerialKind, number> = {
  push: 11_000_000_000,
  issue: 2_200_000_000,
  comment: 2_400_000_000,
  pull: 2_600_000_000,
  review: 2_800_000_000,
  release: 3_000_000_000,
  asset: 3_200_000_000,
  fork: 3_400_000_000,
};

type Payload = Record<string, unknown>;

const api = (repo: GithubRepo) => `https://api.github.com/repos/${repo.fullName}`;
const web = (repo: GithubRepo) => `https://github.com/${repo.fullName}`;
const someUser = (context: EventContext) => context.pools.users[context.random.zipf(context.pools.userRanks)];
const earlier = (context: EventContext, maxDays: number) => isoSeconds(context.nowMs - context.random.int(60, maxDays * 86_400) * 1000);
const branch = (random: Random) => (random.chance(0.5) ? random.pick(['master', 'main', 'develop', 'gh-pages']) : `${random.pick(['feature', 'fix', 'issue', 'topic'])}-${random.pick(WORDS)}${random.chance(0.4) ? `-${random.int(1, 999)}` : ''}`);

export function pushPayload(context: EventContext): Payload {
  const { random, repo, actor } = context;
  const size = random.length(1.4, 1, 20);
  const commits = [];
  for (let i = 0; i < size; i++) {
    const sha = random.hex(40);
    const author = random.chance(0.85) ? actor : someUser(context);
    commits.push({
      url: `${api(repo)}/commits/${sha}`,
      message: commitMessage(random),
      distinct: random.chance(0.92),
      sha,
      author: { email: `${author.login}@${random.pick(['gmail.com', 'users.noreply.github.com', 'example.org', 'yahoo.co.jp', 'web.de'])}`, name: random.chance(0.7) ? author.login : words(random, 2, 0.08) },
    });
  }
  const head = commits[size - 1].sha;
  const before = random.hex(40);
  const ref = `refs/heads/${branch(random)}`;
  const distinctSize = commits.filter((commit) => commit.distinct).length;
  // The sample has both orders of head and before.
  return random.chance(0.2)
    ? { commits, distinct_size: distinctSize, ref, push_id: context.serial('push'), before, head, size }
    : { commits, distinct_size: distinctSize, ref, push_id: context.serial('push'), head, before, size };
}

export function createPayload(context: EventContext): Payload {
  const { random, repo } = context;
  const refType = random.pick(['branch', 'branch', 'tag', 'repository']);
  const ref = refType === 'repository' ? null : refType === 'tag' ? `v${random.int(0, 9)}.${random.int(0, 30)}.${random.int(0, 20)}` : branch(random);
  return { description: repo.description, master_branch: 'master', ref, ref_type: refType };
}

export function deletePayload(context: EventContext): Payload {
  const { random } = context;
  const refType = random.chance(0.85) ? 'branch' : 'tag';
  return { ref: refType === 'tag' ? `v${random.int(0, 9)}.${random.int(0, 30)}.${random.int(0, 20)}` : branch(random), ref_type: refType };
}

export function watchPayload(): Payload {
  return { action: 'started' };
}

export function publicPayload(): Payload {
  return {};
}

/** The repository a fork makes: the sample's forkee, trimmed to 20 of its 62 keys (the URL templates and a few flags dropped). */
export function forkPayload(context: EventContext): Payload {
  const { random, repo, actor, nowMs } = context;
  const fullName = `${actor.login}/${repo.name}`;
  const now = isoSeconds(nowMs - 1000);
  return {
    forkee: {
      description: repo.description,
      fork: true,
      url: `https://api.github.com/repos/${fullName}`,
      language: repo.language,
      full_name: fullName,
      private: false,
      owner: actor.wide,
      html_url: `https://github.com/${fullName}`,
      pushed_at: earlier(context, 400),
      created_at: now,
      name: repo.name,
      updated_at: now,
      forks_count: 0,
      public: true,
      mirror_url: null,
      watchers_count: 0,
      id: context.serial('fork'),
      homepage: repo.homepage,
      git_url: `git://github.com/${fullName}.git`,
      size: random.length(2000, 0, 500_000),
      watchers: 0,
    },
  };
}

const LABELS = [
  ['bug', 'fc2929'], ['enhancement', '84b6eb'], ['question', 'cc317c'], ['duplicate', 'cccccc'], ['wontfix', 'ffffff'],
  ['help wanted', '159818'], ['documentation', '0075ca'], ['good first issue', '7057ff'], ['performance', 'fbca04'], ['🐛 regression', 'b60205'],
] as const;

function labels(context: EventContext, issueApi: string): Payload[] {
  const { random } = context;
  const count = random.chance(0.6) ? 0 : random.length(1.6, 1, 6);
  const list = [];
  for (let i = 0; i < count; i++) {
    const [name, color] = random.pick(LABELS);
    list.push({ url: `${issueApi.replace(/\/issues\/\d+$/, '')}/labels/${encodeURIComponent(name)}`, name, color });
  }
  return list;
}

/** The issue of Issues and IssueComment events: the sample's keys, its user and assignee wide user objects. */
function issue(context: EventContext, state: 'open' | 'closed', commentCount: number): Payload {
  const { random, repo, nowMs } = context;
  const number = random.int(1, 6000);
  const url = `${api(repo)}/issues/${number}`;
  const isPull = random.chance(0.3);
  const created = earlier(context, 300);
  return {
    user: (random.chance(0.5) ? context.actor : someUser(context)).wide,
    url,
    labels: labels(context, url),
    html_url: `${web(repo)}/issues/${number}`,
    labels_url: `${url}/labels{/name}`,
    pull_request: isPull
      ? { html_url: `${web(repo)}/pull/${number}`, patch_url: `${web(repo)}/pull/${number}.patch`, diff_url: `${web(repo)}/pull/${number}.diff` }
      : { html_url: null, patch_url: null, diff_url: null },
    title: title(random),
    created_at: created,
    closed_at: state === 'closed' ? isoSeconds(nowMs) : null,
    milestone: null,
    body: body(random, 300, 0.15),
    updated_at: isoSeconds(nowMs),
    assignee: random.chance(0.2) ? someUser(context).wide : null,
    number,
    state,
    id: context.serial('issue'),
    events_url: `${url}/events`,
    comments_url: `${url}/comments`,
    comments: commentCount,
  };
}

export function issuesPayload(context: EventContext): Payload {
  const action = context.random.pick(['opened', 'opened', 'closed', 'reopened']);
  return { issue: issue(context, action === 'closed' ? 'closed' : 'open', action === 'opened' ? 0 : context.random.length(3, 0, 200)), action };
}

export function issueCommentPayload(context: EventContext): Payload {
  const { random, repo, nowMs } = context;
  const theIssue = issue(context, random.chance(0.8) ? 'open' : 'closed', random.length(4, 1, 300));
  const id = context.serial('comment');
  const now = isoSeconds(nowMs);
  return {
    issue: theIssue,
    action: 'created',
    comment: {
      user: context.actor.wide,
      url: `${api(repo)}/issues/comments/${id}`,
      issue_url: `${api(repo)}/issues/${theIssue.number}`,
      created_at: now,
      body: body(random, 200, 0),
      updated_at: now,
      id,
    },
  };
}

export function gollumPayload(context: EventContext): Payload {
  const { random, repo } = context;
  const pages = [];
  for (let i = random.length(1.3, 1, 8); i > 0; i--) {
    const name = random.chance(0.3) ? 'Home' : words(random, random.length(2, 1, 5), 0.05).replace(/ /g, '-');
    pages.push({ page_name: name, html_url: `${web(repo)}/wiki/${encodeURIComponent(name)}`, title: name.replace(/-/g, ' '), sha: random.hex(40), summary: null, action: random.chance(0.7) ? 'edited' : 'created' });
  }
  return { pages };
}

/** The pull request of PullRequest, PullRequestReview and PullRequestReviewComment events. */
function pullRequest(context: EventContext, action: string): Payload {
  const { random, repo, nowMs } = context;
  const number = random.int(1, 6000);
  const url = `${api(repo)}/pulls/${number}`;
  const closed = action === 'closed';
  const merged = closed && random.chance(0.7);
  const author = action === 'opened' ? context.actor : someUser(context);
  const head = `${author.login}:${branch(random)}`;
  return {
    url,
    id: context.serial('pull'),
    html_url: `${web(repo)}/pull/${number}`,
    number,
    state: closed ? 'closed' : 'open',
    title: title(random),
    user: author.wide,
    body: body(random, 300, 0.2),
    created_at: earlier(context, 120),
    updated_at: isoSeconds(nowMs),
    closed_at: closed ? isoSeconds(nowMs) : null,
    merged_at: merged ? isoSeconds(nowMs) : null,
    merge_commit_sha: random.chance(0.8) ? random.hex(40) : null,
    head: { label: head, ref: head.split(':')[1], sha: random.hex(40) },
    base: { label: `${repo.owner.login}:master`, ref: 'master', sha: random.hex(40) },
    merged,
    comments: random.length(2, 0, 200),
    commits: random.length(3, 1, 250),
    additions: random.length(120, 0, 50_000),
    deletions: random.length(60, 0, 50_000),
    changed_files: random.length(5, 1, 3000),
  };
}

export function pullRequestPayload(context: EventContext): Payload {
  const action = context.random.pick(['opened', 'opened', 'closed', 'closed', 'reopened', 'synchronize']);
  const pull = pullRequest(context, action);
  return { action, number: pull.number, pull_request: pull };
}

export function pullRequestReviewPayload(context: EventContext): Payload {
  const { random, nowMs } = context;
  const pull = pullRequest(context, 'opened');
  const id = context.serial('review');
  return {
    action: 'submitted',
    review: {
      id,
      body: random.chance(0.4) ? null : body(random, 160, 0.2),
      commit_id: random.hex(40),
      submitted_at: isoSeconds(nowMs),
      state: random.pick(['approved', 'approved', 'commented', 'changes_requested']),
      html_url: `${pull.html_url}#pullrequestreview-${id}`,
      pull_request_url: pull.url,
    },
    pull_request: pull,
  };
}

const PATHS = ['src/index.ts', 'lib/parser.rb', 'README.md', 'src/main.rs', 'app/models/user.py', 'cmd/server/main.go', 'test/store.test.js', 'docs/guide/日本語.md', 'Makefile', 'package.json'];

export function pullRequestReviewCommentPayload(context: EventContext): Payload {
  const { random, nowMs } = context;
  const pull = pullRequest(context, 'opened');
  const id = context.serial('comment');
  const now = isoSeconds(nowMs);
  const position = random.int(1, 400);
  return {
    action: 'created',
    comment: {
      url: `${pull.url}/comments/${id}`,
      id,
      diff_hunk: `@@ -${position},7 +${position},9 @@\n ${random.pick(['const', 'let', 'def', 'fn', 'func'])} ${random.pick(WORDS)} = ${random.pick(WORDS)}\n-${words(random, 5)}\n+${words(random, 6)}`,
      path: random.pick(PATHS),
      position,
      original_position: position,
      commit_id: random.hex(40),
      original_commit_id: random.hex(40),
      user: context.actor.wide,
      body: body(random, 180, 0),
      created_at: now,
      updated_at: now,
      html_url: `${pull.html_url}#discussion_r${id}`,
      pull_request_url: pull.url,
    },
    pull_request: pull,
  };
}

export function commitCommentPayload(context: EventContext): Payload {
  const { random, repo, nowMs } = context;
  const id = context.serial('comment');
  const sha = random.hex(40);
  const now = isoSeconds(nowMs);
  const onLine = random.chance(0.6);
  return {
    comment: {
      url: `${api(repo)}/comments/${id}`,
      html_url: `${web(repo)}/commit/${sha}#commitcomment-${id}`,
      id,
      user: context.actor.wide,
      position: onLine ? random.int(1, 300) : null,
      line: onLine ? random.int(1, 2000) : null,
      path: onLine ? random.pick(PATHS) : null,
      commit_id: sha,
      created_at: now,
      updated_at: now,
      body: body(random, 150, 0),
    },
  };
}

export function releasePayload(context: EventContext): Payload {
  const { random, repo, nowMs } = context;
  const id = context.serial('release');
  const tag = `v${random.int(0, 9)}.${random.int(0, 30)}.${random.int(0, 20)}`;
  const url = `${api(repo)}/releases/${id}`;
  const now = isoSeconds(nowMs);
  const assets = [];
  for (let i = random.chance(0.5) ? 0 : random.length(2, 1, 12); i > 0; i--) {
    const asset = context.serial('asset');
    const name = `${repo.name}-${tag}-${random.pick(['linux-x64', 'darwin-arm64', 'windows-x64', 'src'])}.${random.pick(['tar.gz', 'zip', 'deb'])}`;
    assets.push({
      url: `${api(repo)}/releases/assets/${asset}`,
      id: asset,
      name,
      content_type: random.pick(['application/gzip', 'application/zip', 'application/octet-stream']),
      size: random.int(10_000, 80_000_000),
      download_count: 0,
      created_at: now,
    });
  }
  return {
    action: 'published',
    release: {
      url,
      html_url: `${web(repo)}/releases/${tag}`,
      id,
      tag_name: tag,
      name: random.chance(0.3) ? tag : `${tag}: ${title(random)}`,
      prerelease: random.chance(0.15),
      created_at: earlier(context, 3),
      published_at: now,
      assets,
      tarball_url: `${api(repo)}/tarball/${tag}`,
      zipball_url: `${api(repo)}/zipball/${tag}`,
      body: body(random, 600, 0.1),
    },
  };
}
