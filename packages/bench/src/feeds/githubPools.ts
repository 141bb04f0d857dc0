// The people and repositories of the events feed: pools of thousands drawn with a Zipf skew (a
// few are in many events, most in a few), and the objects GitHub writes for them, key for key as
// in the real events of github-events.sample.json (2013 API): the actor, the wide user object
// (15 fields, 11 of them URLs), the repository reference and the organisation.
import { Random, zipfTable } from './random';
import { WORDS } from './text';

export interface GithubUser {
  login: string;
  id: number;
  gravatarId: string;
  organization: boolean;
  /** The 15-field user object (issue.user, comment.user, forkee.owner …): one per user, shared. */
  wide: Record<string, unknown>;
  actor: Record<string, unknown>;
}

export interface GithubRepo {
  id: number;
  owner: GithubUser;
  name: string;
  fullName: string;
  description: string;
  language: string | null;
  homepage: string | null;
  createdMs: number;
  ref: Record<string, unknown>;
}

export interface GithubPools {
  users: GithubUser[];
  organizations: GithubUser[];
  repos: GithubRepo[];
  userRanks: Float64Array;
  repoRanks: Float64Array;
}

export const USER_POOL = 8000;
export const ORGANIZATION_POOL = 600;
export const REPO_POOL = 6000;
const LANGUAGES = ['JavaScript', 'TypeScript', 'Python', 'Ruby', 'Java', 'Go', 'C', 'C++', 'PHP', 'Shell', 'Rust', 'C#', 'Objective-C', 'Perl', 'Scala', 'Haskell', 'Lua', 'Clojure'];

const avatar = (gravatarId: string, organization: boolean) =>
  `https://secure.gravatar.com/avatar/${gravatarId}?d=https://a248.e.akamai.net/assets.github.com%2Fimages%2Fgravatars%2Fgravatar-${organization ? 'org' : 'user'}-420.png`;

function makeUser(random: Random, login: string, id: number, organization: boolean): GithubUser {
  const gravatarId = random.hex(32);
  const api = `https://api.github.com/users/${login}`;
  const wide = {
    url: api,
    gists_url: `${api}/gists{/gist_id}`,
    gravatar_id: gravatarId,
    type: organization ? 'Organization' : 'User',
    avatar_url: avatar(gravatarId, organization),
    subscriptions_url: `${api}/subscriptions`,
    received_events_url: `${api}/received_events`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    login,
    id,
    starred_url: `${api}/starred{/owner}{/repo}`,
    events_url: `${api}/events{/privacy}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following`,
  };
  const actor = { gravatar_id: gravatarId, login, avatar_url: wide.avatar_url, url: organization ? `https://api.github.com/orgs/${login}` : api, id };
  return { login, id, gravatarId, organization, wide, actor };
}

/** A name `make` draws that is not yet taken. */
function uniqueName(taken: Set<string>, make: () => string): string {
  for (;;) {
    const name = make();
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

function uniqueId(random: Random, taken: Set<number>, min: number, max: number): number {
  for (;;) {
    const id = random.int(min, max);
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

/** The pools of one seed (its own stream, so the records' draws do not depend on the pool sizes). */
export function githubPools(seed: number): GithubPools {
  const random = new Random(seed ^ 0x9e3779b9);
  const logins = new Set<string>();
  const ids = new Set<number>();
  const login = () =>
    uniqueName(logins, () => {
      const first = random.pick(WORDS);
      const roll = random.float();
      if (roll < 0.3) return `${first}${random.int(1, 9999)}`;
      if (roll < 0.6) return `${first}${random.pick(['-', '_', ''])}${random.pick(WORDS)}`;
      return `${first.charAt(0)}${random.pick(WORDS)}${random.chance(0.5) ? random.int(0, 99) : ''}`;
    });
  const users: GithubUser[] = [];
  for (let i = 0; i < USER_POOL; i++) users.push(makeUser(random, login(), uniqueId(random, ids, 1, 3_000_000), false));
  const organizations: GithubUser[] = [];
  for (let i = 0; i < ORGANIZATION_POOL; i++) organizations.push(makeUser(random, login(), uniqueId(random, ids, 1, 3_000_000), true));

  const repoNames = new Set<string>();
  const repoIds = new Set<number>();
  const repos: GithubRepo[] = [];
  for (let i = 0; i < REPO_POOL; i++) {
    const owner = random.chance(0.25) ? random.pick(organizations) : random.pick(users);
    const name = uniqueName(repoNames, () => `${owner.login}/${random.pick(WORDS)}${random.chance(0.6) ? `-${random.pick(WORDS)}` : random.pick(['.js', '.rb', '.py', '', '', ''])}`).split('/')[1];
    const id = uniqueId(random, repoIds, 1000, 7_600_000);
    const fullName = `${owner.login}/${name}`;
    repos.push({
      id,
      owner,
      name,
      fullName,
      description: random.chance(0.15) ? '' : `${random.pick(WORDS)} ${random.pick(WORDS)} ${random.pick(WORDS)} for ${random.pick(WORDS)}`,
      language: random.chance(0.1) ? null : random.pick(LANGUAGES),
      homepage: random.chance(0.7) ? null : `https://${owner.login}.github.com/${name}`,
      createdMs: Date.UTC(2008, 3, 1) + random.int(0, 4.7 * 365 * 86_400) * 1000,
      ref: { url: `https://api.github.com/repos/${fullName}`, id, name: fullName },
    });
  }
  return { users, organizations, repos, userRanks: zipfTable(USER_POOL, 0.9), repoRanks: zipfTable(REPO_POOL, 0.8) };
}
