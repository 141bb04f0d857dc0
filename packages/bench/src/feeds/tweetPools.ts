// The accounts and places of the tweets feed: a pool of wide user objects (38 fields with their
// URL entities, as the v1.1 API writes them) drawn with a Zipf skew, and a pool of places with
// bounding boxes. One object per account, shared by every tweet that names it.
import { Random, twitterDate, zipfTable } from './random';
import { UNICODE_WORDS, WORDS, words } from './text';

export interface TweetUser {
  id: number;
  screenName: string;
  name: string;
  /** The user object of the API, built once. */
  object: Record<string, unknown>;
}

export interface TweetPools {
  users: TweetUser[];
  userRanks: Float64Array;
  places: Record<string, unknown>[];
}

export const TWEET_USER_POOL = 20_000;
export const PLACE_POOL = 300;
const COLORS = ['1DA1F2', 'C0DEED', '000000', 'FFFFFF', 'F5F8FA', 'E81C4F', '19CF86', 'FFAD1F', '794BC4', '333333', 'DDEEF6', '0084B4'];
const LOCATIONS = ['', '', 'London', 'Tokyo, Japan', 'São Paulo, Brasil', 'New York, NY', 'Berlin', 'Paris, France', 'Москва', '東京都', 'Earth', 'somewhere 🌍', 'Lagos, Nigeria', 'Mumbai', 'Sydney, Australia'];
const LANGS = ['en', 'en', 'en', 'ja', 'es', 'pt', 'ar', 'fr', 'tr', 'ko', 'de', 'ru', 'und'];

function urlEntity(random: Random, at: number): Record<string, unknown> {
  const site = `${random.pick(WORDS)}${random.pick(WORDS)}.${random.pick(['com', 'org', 'net', 'io', 'jp', 'co.uk'])}`;
  const url = `https://t.co/${random.token(10)}`;
  return { url, expanded_url: `https://${site}/${random.chance(0.5) ? random.pick(WORDS) : ''}`, display_url: site, indices: [at, at + url.length] };
}

function makeUser(random: Random, id: number, screenName: string): TweetUser {
  const name = random.chance(0.15) ? words(random, 2, 0.5) : `${screenName.charAt(0).toUpperCase()}${screenName.slice(1).replace(/[_0-9]+$/, '')} ${random.pick(WORDS)}`;
  const description = random.chance(0.2) ? '' : words(random, random.length(18, 2, 30), 0.06) + (random.chance(0.3) ? ` ${random.pick(UNICODE_WORDS)}` : '');
  const hasUrl = random.chance(0.4);
  const url = hasUrl ? urlEntity(random, 0) : null;
  const descriptionUrls = random.chance(0.15) ? [urlEntity(random, description.length)] : [];
  const image = `${random.int(1e8, 1.5e18)}/${random.token(8)}_normal.jpg`;
  const background = random.pick(['', 'themes/theme1/bg.png', `profile_background_images/${random.int(1e8, 9e8)}/${random.token(6)}.jpeg`]);
  const followers = Math.floor(random.float() ** 10 * 5_000_000);
  const defaultProfile = random.chance(0.4);
  const object: Record<string, unknown> = {
    id,
    id_str: String(id),
    name,
    screen_name: screenName,
    location: random.pick(LOCATIONS),
    description,
    url: url === null ? null : url.url,
    entities: url === null ? { description: { urls: descriptionUrls } } : { url: { urls: [url] }, description: { urls: descriptionUrls } },
    protected: random.chance(0.02),
    followers_count: followers,
    friends_count: random.length(400, 0, 100_000),
    listed_count: Math.floor(followers / random.int(50, 400)),
    created_at: twitterDate(Date.UTC(2007, 0, 1) + random.int(0, 11 * 365 * 86_400) * 1000),
    favourites_count: random.length(3000, 0, 500_000),
    geo_enabled: random.chance(0.3),
    verified: random.chance(followers > 100_000 ? 0.3 : 0.003),
    statuses_count: random.length(8000, 1, 900_000),
    lang: random.pick(LANGS),
    profile_background_color: random.pick(COLORS),
    profile_background_image_url: background === '' ? null : `http://abs.twimg.com/images/${background}`,
    profile_background_image_url_https: background === '' ? null : `https://abs.twimg.com/images/${background}`,
    profile_image_url: `http://pbs.twimg.com/profile_images/${image}`,
    profile_image_url_https: `https://pbs.twimg.com/profile_images/${image}`,
    profile_link_color: random.pick(COLORS),
    profile_sidebar_border_color: random.pick(COLORS),
    profile_sidebar_fill_color: random.pick(COLORS),
    profile_text_color: random.pick(COLORS),
    profile_use_background_image: random.chance(0.8),
    default_profile: defaultProfile,
    default_profile_image: random.chance(0.03),
    following: false,
  };
  if (random.chance(0.6)) object.profile_banner_url = `https://pbs.twimg.com/profile_banners/${id}/${random.int(1.2e9, 1.6e9)}`;
  return { id, screenName, name, object };
}

/** A place: a city or neighbourhood with its bounding box (four [longitude, latitude] corners). */
function makePlace(random: Random): Record<string, unknown> {
  const lon = Math.round((random.float() * 340 - 170) * 1e6) / 1e6;
  const lat = Math.round((random.float() * 120 - 60) * 1e6) / 1e6;
  const width = Math.round(random.float() * 1e6) / 1e6;
  const height = Math.round(random.float() * 1e6) / 1e6;
  const name = random.chance(0.1) ? random.pick(UNICODE_WORDS) : `${random.pick(WORDS)}${random.pick(['ville', 'ton', 'burg', ' City', ''])}`;
  const country = random.pick([['US', 'United States'], ['JP', '日本'], ['BR', 'Brasil'], ['GB', 'United Kingdom'], ['DE', 'Deutschland'], ['IN', 'India'], ['FR', 'France']]);
  const id = random.hex(16);
  return {
    id,
    url: `https://api.twitter.com/1.1/geo/id/${id}.json`,
    place_type: random.pick(['city', 'city', 'admin', 'neighborhood', 'poi']),
    name,
    full_name: `${name}, ${country[0]}`,
    country_code: country[0],
    country: country[1],
    contained_within: [],
    bounding_box: {
      type: 'Polygon',
      coordinates: [[[lon, lat], [lon + width, lat], [lon + width, lat + height], [lon, lat + height]]],
    },
    attributes: {},
  };
}

/** The pools of one seed, from their own stream (the tweets' draws do not depend on the pool sizes). */
export function tweetPools(seed: number): TweetPools {
  const random = new Random(seed ^ 0x85ebca6b);
  const names = new Set<string>();
  const ids = new Set<number>();
  const users: TweetUser[] = [];
  while (users.length < TWEET_USER_POOL) {
    const screenName = `${random.pick(WORDS)}${random.pick(['_', '', ''])}${random.chance(0.6) ? random.pick(WORDS) : ''}${random.chance(0.5) ? random.int(0, 9999) : ''}`.slice(0, 15);
    // Accounts from 2006 on: ids up to ~5e9 (beyond int32 for newer ones), all within 2^53.
    const id = random.chance(0.7) ? random.int(10_000, 2_147_483_647) : random.int(2_147_483_648, 5_000_000_000);
    if (names.has(screenName) || ids.has(id)) continue;
    names.add(screenName);
    ids.add(id);
    users.push(makeUser(random, id, screenName));
  }
  const places: Record<string, unknown>[] = [];
  for (let i = 0; i < PLACE_POOL; i++) places.push(makePlace(random));
  return { users, userRanks: zipfTable(TWEET_USER_POOL, 0.7), places };
}
