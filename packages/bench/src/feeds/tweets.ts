// The tweets feed: statuses as the v1.1 API writes them in extended mode, ~3.6 KB each: a wide
// user object from a pool (tweetPools.ts), a unique text whose hashtags, mentions, URLs and
// media are listed in `entities` with their code-point indices, replies, and retweets and quotes
// that carry the retweeted or quoted status (a nested tweet with its own user and entities; a
// carried status has no extended_entities and a null place, where the API would repeat them, which
// keeps the feed at ~350 columns, each nested status adding ~100); place, coordinates and geo are
// null for ~97% of tweets. id_str is the 64-bit snowflake
// (~1.5e18, as a string); the numeric ids stay within 2^53 so that every number in the feed is an
// exact double (id is the snowflake shifted right 8 bits; real feeds write the snowflake there,
// which JSON.parse rounds).
import { pickWeighted, Random, twitterDate, weighted } from './random';
import { tweetPools, type TweetPools, type TweetUser } from './tweetPools';
import { UNICODE_WORDS, word, WORDS } from './text';

const TWITTER_EPOCH_MS = 1_288_834_974_657;
export const FIRST_TWEET_MS = Date.UTC(2022, 1, 14, 9, 30, 0);

const SOURCES = [
  '<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>',
  '<a href="http://twitter.com/download/android" rel="nofollow">Twitter for Android</a>',
  '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
  '<a href="https://about.twitter.com/products/tweetdeck" rel="nofollow">TweetDeck</a>',
  '<a href="https://buffer.com" rel="nofollow">Buffer</a>',
  '<a href="https://www.hootsuite.com" rel="nofollow">Hootsuite Inc.</a>',
  '<a href="https://ifttt.com" rel="nofollow">IFTTT</a>',
];

/** What a tweet is: an original, a reply, a retweet or a quote (shares of the stream). */
const KINDS = weighted([
  ['original', 42],
  ['reply', 16],
  ['retweet', 30],
  ['quote', 12],
] as const);

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'hashtag'; text: string }
  | { kind: 'mention'; user: TweetUser; suffix?: string }
  | { kind: 'url'; url: Record<string, unknown> }
  | { kind: 'media'; media: Record<string, unknown>[] };

interface Context {
  random: Random;
  pools: TweetPools;
  nowMs: number;
  /** A new snowflake (increasing). */
  snowflake: () => bigint;
}

const codePoints = (text: string) => {
  let count = 0;
  for (const _ of text) count++;
  return count;
};

const someUser = (context: Context) => context.pools.users[context.random.zipf(context.pools.userRanks)];
const numericId = (snowflake: bigint) => Number(snowflake >> 8n);

function mediaItems(context: Context): Record<string, unknown>[] {
  const { random } = context;
  const type = random.pick(['photo', 'photo', 'photo', 'photo', 'video', 'animated_gif']);
  const count = type === 'photo' ? random.length(1.3, 1, 4) : 1;
  const url = `https://t.co/${random.token(10)}`;
  const items = [];
  for (let i = 0; i < count; i++) {
    const snowflake = context.snowflake();
    const key = random.token(15);
    const w = random.pick([1200, 1080, 2048, 900, 640]);
    const h = random.pick([675, 1350, 1536, 1200, 900, 640]);
    const scale = (max: number) => (w >= h ? [Math.min(w, max), Math.round((Math.min(w, max) * h) / w)] : [Math.round((Math.min(h, max) * w) / h), Math.min(h, max)]);
    const [mw, mh] = scale(1200);
    const [sw, sh] = scale(680);
    const item: Record<string, unknown> = {
      id: numericId(snowflake),
      id_str: snowflake.toString(),
      indices: [0, 0],
      media_url: `http://pbs.twimg.com/media/${key}.jpg`,
      media_url_https: `https://pbs.twimg.com/media/${key}.jpg`,
      url,
      display_url: `pic.twitter.com/${url.slice(13)}`,
      expanded_url: `https://twitter.com/i/web/status/${snowflake}/photo/${i + 1}`,
      type,
      sizes: {
        thumb: { w: 150, h: 150, resize: 'crop' },
        medium: { w: mw, h: mh, resize: 'fit' },
        small: { w: sw, h: sh, resize: 'fit' },
        large: { w, h, resize: 'fit' },
      },
    };
    if (type !== 'photo') {
      const variants = [
        { bitrate: 832_000, content_type: 'video/mp4', url: `https://video.twimg.com/ext_tw_video/${snowflake}/pu/vid/640x360/${random.token(16)}.mp4` },
        { content_type: 'application/x-mpegURL', url: `https://video.twimg.com/ext_tw_video/${snowflake}/pu/pl/${random.token(16)}.m3u8` },
      ];
      // A GIF has no duration.
      item.video_info = type === 'video' ? { aspect_ratio: [16, 9], duration_millis: random.int(2000, 140_000), variants } : { aspect_ratio: [16, 9], variants };
    }
    items.push(item);
  }
  return items;
}

/** The tokens of an original text: words, with hashtags, mentions, links and media now and then. */
function textTokens(context: Context, lang: string): Token[] {
  const { random } = context;
  const tokens: Token[] = [];
  const unicodeShare = lang === 'en' ? 0.04 : 0.3;
  for (let i = random.length(24, 3, 50); i > 0; i--) {
    const roll = random.float();
    if (roll < 0.05) tokens.push({ kind: 'hashtag', text: random.chance(0.1) ? random.pick(UNICODE_WORDS).replace(/\s/g, '') : random.pick(WORDS) + (random.chance(0.3) ? random.pick(WORDS) : '') });
    else if (roll < 0.08) tokens.push({ kind: 'mention', user: someUser(context) });
    else tokens.push({ kind: 'word', text: word(random, unicodeShare) });
  }
  if (random.chance(0.25)) tokens.push({ kind: 'url', url: { url: `https://t.co/${random.token(10)}`, expanded_url: `https://${random.pick(WORDS)}.${random.pick(['com', 'org', 'io', 'news'])}/${random.pick(WORDS)}/${random.int(1, 99999)}`, display_url: '', indices: [] } });
  if (random.chance(0.22)) tokens.push({ kind: 'media', media: mediaItems(context) });
  return tokens;
}

/** The text and entities of `tokens`, indices in code points as the API counts them. */
function render(tokens: readonly Token[]): { text: string; entities: Record<string, unknown>; media: Record<string, unknown>[] | null; shownEnd: number } {
  let text = '';
  let at = 0;
  const hashtags = [];
  const mentions = [];
  const urls = [];
  let media: Record<string, unknown>[] | null = null;
  let shownEnd = 0;
  for (const token of tokens) {
    if (text.length > 0) {
      text += ' ';
      at++;
    }
    let piece: string;
    switch (token.kind) {
      case 'word':
        piece = token.text;
        break;
      case 'hashtag':
        piece = `#${token.text}`;
        hashtags.push({ text: token.text, indices: [at, at + codePoints(piece)] });
        break;
      case 'mention':
        piece = `@${token.user.screenName}`;
        mentions.push({ screen_name: token.user.screenName, name: token.user.name, id: token.user.id, id_str: String(token.user.id), indices: [at, at + codePoints(piece)] });
        piece += token.suffix ?? '';
        break;
      case 'url': {
        piece = token.url.url as string;
        const expanded = token.url.expanded_url as string;
        urls.push({ ...token.url, display_url: expanded.replace(/^https:\/\//, '').slice(0, 26) + (expanded.length > 34 ? '…' : ''), indices: [at, at + piece.length] });
        break;
      }
      case 'media':
        piece = token.media[0].url as string;
        media = token.media.map((item) => ({ ...item, indices: [at, at + piece.length] }));
        break;
    }
    text += piece;
    at += codePoints(piece);
    if (token.kind !== 'media') shownEnd = at;
  }
  const entities: Record<string, unknown> = { hashtags, symbols: [], user_mentions: mentions, urls };
  if (media !== null) entities.media = [media[0]];
  return { text, entities, media, shownEnd };
}

function placeFields(context: Context, tweet: Record<string, unknown>, carried: boolean): void {
  const { random, pools } = context;
  const place = !carried && random.chance(0.03) ? random.pick(pools.places) : null;
  const exact = place !== null && random.chance(0.3);
  if (exact) {
    const box = (place.bounding_box as { coordinates: number[][][] }).coordinates[0];
    const lon = Math.round((box[0][0] + random.float() * (box[1][0] - box[0][0])) * 1e8) / 1e8;
    const lat = Math.round((box[0][1] + random.float() * (box[2][1] - box[0][1])) * 1e8) / 1e8;
    tweet.geo = { type: 'Point', coordinates: [lat, lon] };
    tweet.coordinates = { type: 'Point', coordinates: [lon, lat] };
  } else {
    tweet.geo = null;
    tweet.coordinates = null;
  }
  tweet.place = place;
  tweet.contributors = null;
}

/** One status of `user` with `tokens`; `nested` a status it retweets or quotes. */
function status(context: Context, user: TweetUser, tokens: Token[], lang: string, reply: TweetUser | null, nested: { kind: 'retweet' | 'quote'; status: Record<string, unknown> } | null, carried: boolean): Record<string, unknown> {
  const { random } = context;
  const snowflake = context.snowflake();
  const { text, entities, media, shownEnd } = render(tokens);
  // A quote links the quoted status last.
  const quotedUrl = nested?.kind === 'quote' ? (entities.urls as Record<string, string>[]).at(-1) : undefined;
  const tweet: Record<string, unknown> = {
    created_at: twitterDate(carried ? context.nowMs - random.int(60_000, 5 * 86_400_000) : context.nowMs),
    id: numericId(snowflake),
    id_str: snowflake.toString(),
    full_text: text,
    truncated: false,
    display_text_range: [reply === null ? 0 : codePoints(`@${reply.screenName} `), shownEnd],
    entities,
  };
  // Every media item (entities.media has the first): in top-level statuses only (see the header).
  if (media !== null && !carried) tweet.extended_entities = { media };
  tweet.source = random.pick(SOURCES);
  const replyTo = reply === null ? null : context.snowflake() - BigInt(random.int(1, 2 ** 40));
  tweet.in_reply_to_status_id = replyTo === null ? null : numericId(replyTo);
  tweet.in_reply_to_status_id_str = replyTo === null ? null : replyTo.toString();
  tweet.in_reply_to_user_id = reply === null ? null : reply.id;
  tweet.in_reply_to_user_id_str = reply === null ? null : String(reply.id);
  tweet.in_reply_to_screen_name = reply === null ? null : reply.screenName;
  tweet.user = user.object;
  placeFields(context, tweet, carried);
  if (nested?.kind === 'retweet') tweet.retweeted_status = nested.status;
  tweet.is_quote_status = nested?.kind === 'quote';
  if (nested?.kind === 'quote') {
    tweet.quoted_status_id = nested.status.id;
    tweet.quoted_status_id_str = nested.status.id_str;
    tweet.quoted_status_permalink = { url: quotedUrl!.url, expanded: quotedUrl!.expanded_url, display: quotedUrl!.display_url };
    tweet.quoted_status = nested.status;
  }
  const popular = random.float() ** 6;
  tweet.retweet_count = nested?.kind === 'retweet' ? (nested.status.retweet_count as number) : Math.floor(popular * 20_000);
  tweet.favorite_count = nested?.kind === 'retweet' ? 0 : Math.floor(popular * 90_000);
  tweet.favorited = false;
  tweet.retweeted = false;
  if (media !== null || random.chance(0.2)) tweet.possibly_sensitive = random.chance(0.03);
  tweet.lang = lang;
  return tweet;
}

const LANGS = ['en', 'en', 'en', 'en', 'ja', 'es', 'pt', 'ar', 'fr', 'tr', 'ko', 'und'];

/** An original status of someone (what a retweet or quote carries, posted earlier), its author and tokens. */
function original(context: Context): { status: Record<string, unknown>; author: TweetUser; tokens: Token[]; lang: string } {
  const lang = context.random.pick(LANGS);
  const author = someUser(context);
  const tokens = textTokens(context, lang);
  return { status: status(context, author, tokens, lang, null, null, true), author, tokens, lang };
}

/**
 * The tweets of `seed`, one per call: the n-th call returns the same tweet for any feed size.
 * Nothing is kept between calls but the pools (20,000 accounts, 300 places) and counters.
 */
export function tweetSource(seed: number): () => Record<string, unknown> {
  const random = new Random(seed);
  const pools = tweetPools(seed);
  let nowMs = FIRST_TWEET_MS;
  let sequence = 0n;
  const context: Context = {
    random,
    pools,
    nowMs,
    snowflake: () => (BigInt(context.nowMs - TWITTER_EPOCH_MS) << 22n) | (BigInt(random.int(0, 1023)) << 12n) | (sequence = (sequence + 1n) & 4095n),
  };
  return () => {
    context.nowMs = nowMs += random.int(0, 400);
    const user = someUser(context);
    const lang = random.pick(LANGS);
    switch (pickWeighted(random, KINDS)) {
      case 'original':
        return status(context, user, textTokens(context, lang), lang, null, null, false);
      case 'reply': {
        const to = someUser(context);
        return status(context, user, [{ kind: 'mention', user: to }, ...textTokens(context, lang)], lang, to, null, false);
      }
      case 'retweet': {
        // "RT @author: " and the original's text: its entities, shifted by the prefix.
        const retweeted = original(context);
        const tokens: Token[] = [{ kind: 'word', text: 'RT' }, { kind: 'mention', user: retweeted.author, suffix: ':' }, ...retweeted.tokens];
        return status(context, user, tokens, retweeted.lang, null, { kind: 'retweet', status: retweeted.status }, false);
      }
      default: {
        const quoted = original(context);
        const tokens = textTokens(context, lang);
        tokens.push({ kind: 'url', url: { url: `https://t.co/${random.token(10)}`, expanded_url: `https://twitter.com/${quoted.author.screenName}/status/${quoted.status.id_str}`, display_url: '', indices: [] } });
        return status(context, user, tokens, lang, null, { kind: 'quote', status: quoted.status }, false);
      }
    }
  };
}

