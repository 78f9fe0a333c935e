/**
 * What a resident says of whose village she is: "我是东台村的", "东台村的，路灯坏了", "我是东台村新庄组的",
 * "俺是上湾组的". Pure: the words, read against the township's villages.
 */
import type { VillageConfig } from '../config/schema.js';
import { isGreeting, isPleasantry } from './text.js';
import { namesGroup, type VillageMatcher } from './village-match.js';

/**
 * The village in "我是东山村的", "我家在东山", "俺是东山村人", "俺东山村的村民" (`identity`: who one is)
 * or "我在东山村" (where one is now), as written, maybe with her group after it ("我是东山村三组的",
 * "俺东山3组的", "七队", "我是东台村新庄组的": read with {@link VillageMatcher.matchNameAndGroup}); null for
 * anything else.
 */
export function villageClaim(text: string): { village: string; identity: boolean } | null {
  const m = /^(?:我|俺)们?(是|家是|家在|家住|住在?|在)?([^\s，,。]{2,12}?)(?:的(?:人|村民|居民)?|人|村民|居民)?[。！!.]*$/.exec(text.trim());
  return m ? { village: m[2]!, identity: m[1] !== '在' } : null;
}

/**
 * "东台村的", "东台的", "东台村人": who she is, said as an answer is said, without 我是 — in a new resident's
 * first message only (to a cadre's question, "东山村的" may be where the street light is).
 */
function bareVillageClaim(clause: string): { village: string; identity: boolean } | null {
  const m = /^([^\s，,。]{2,12}?)(?:的(?:人|村民|居民)?|人|村民|居民)[。！!.]*$/.exec(clause.trim());
  return m ? { village: m[1]!, identity: true } : null;
}

/**
 * The village a new resident's first message says is her own: the village's name alone, or a clause
 * "俺是东胜村的" ("你好，俺东胜村的村民，低保咋停了", "东胜村的，低保咋停了"); `saysMore` when other words than a greeting
 * come with it. "我在东山村，…" is where she is, and a mention ("东山村的路灯坏了") whose it is not
 * said: the village is asked then.
 */
export function selfIntroduction(text: string, villages: VillageMatcher): { village: VillageConfig; saysMore: boolean } | null {
  const alone = villages.matchNameAndGroup(text);
  if (alone) return { village: alone, saysMore: false };
  const clauses = text.split(/[\s，,。.！!？?；;、~～]+/).filter(Boolean);
  // Without 我是 only as a clause a mark ends (or the whole text): "城东村的 路灯坏了" may be whose street light it is.
  const marked = new Set(text.split(/[，,。.！!？?；;、~～]+/).map((c) => c.trim()));
  const claims = clauses.flatMap((clause) => {
    const claim = villageClaim(clause) ?? (marked.has(clause) ? bareVillageClaim(clause) : null);
    const village = claim?.identity ? villages.matchNameAndGroup(claim.village) : null;
    return village ? [{ clause, village }] : [];
  });
  if (claims.length !== 1) return null;
  const [{ clause, village }] = claims as [{ clause: string; village: VillageConfig }];
  const saysMore = clauses.some((c) => c !== clause && !isGreeting(c) && !isPleasantry(c));
  return { village, saysMore };
}

/**
 * "俺是上湾组的", "我是新庄组的": who she is by her group alone, which names no village here (a township
 * may list its groups as villages' aliases: then it is her village, read before this).
 */
export function saysOnlyGroup(text: string): boolean {
  const claim = villageClaim(text);
  return claim !== null && claim.identity && namesGroup(claim.village);
}
