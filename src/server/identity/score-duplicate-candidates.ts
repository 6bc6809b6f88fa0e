// Duplicate candidates (DESIGN §8b): after every successful collect run, the pairs of assets that share
// evidence, scored (the strongest rule's score) with the evidence itself. Set-based: one statement joins the
// touched assets' identifiers against everyone's on (rule, value), whatever the number of assets. Not a
// pair: two assets of one source (the source says they are two objects), a merged tombstone, a value held by
// more than MAX_HOLDERS assets (a shared placeholder). An ignored or merged pair stays as it was decided.
import { MAX_HOLDERS } from './junk';
import { RULE_SCORES_SQL } from './evidence';
import type { Q } from './sql';

/** The pairs among `_id_touched` and all assets, with score and evidence (shared with the bench's floor). */
export const CANDIDATE_PAIRS_SQL = `
  with mine as materialized (
    select t.asset_uuid as a, t.rule, t.value
    from _id_touched x join asset_identifiers t on t.asset_uuid = x.uuid
  ), counting as materialized (
    -- whether the run touched a fifth of the table or more, by its size at its last ANALYZE (none yet: -1,
    -- a first run)
    select (select count(*) from mine) * 5 > (select greatest(reltuples, 0) from pg_class
                                              where oid = 'asset_identifiers'::regclass) as big
  ), shared as materialized (
    -- holders are counted per value before any pair is formed: pairing first made a value that 10,000
    -- assets share (the simulator gives every guest the same one) 10,000² rows, for nothing. Materialized:
    -- inlined, the planner paired first whenever asset_identifiers had no statistics yet (a first run):
    -- two MACs of 2,000 simulator VMs each made 8 million rows and 25 s of a 4,000-VM run.
    -- Two ways to count, of which the one-time filters run one: a few touched values each look up their
    -- holders (at most MAX_HOLDERS + 1 of them); when the run touched a good part of the table (a first
    -- run), one pass that counts every value's holders is several times faster than 40,000 lookups.
    select v.rule, v.value
    from (select distinct rule, value from mine) v
    cross join lateral (select count(*) as n from (
      select 1 from asset_identifiers o where o.rule = v.rule and o.value = v.value limit ${MAX_HOLDERS + 1}) h) c
    where c.n between 2 and ${MAX_HOLDERS} and not (select big from counting)
    union all
    select o.rule, o.value from asset_identifiers o
    where (select big from counting)
    group by o.rule, o.value having count(*) between 2 and ${MAX_HOLDERS}
  ), hit as (
    select m.a, o.asset_uuid as b, m.rule, m.value
    from mine m
    join shared s on s.rule = m.rule and s.value = m.value
    join asset_identifiers o on o.rule = m.rule and o.value = m.value and o.asset_uuid <> m.a
  ), per_rule as (
    select least(a, b) as x, greatest(a, b) as y, rule, array_agg(distinct value order by value) as vals
    from hit group by 1, 2, 3
  )
  select p.x, p.y, ax.kind, max(s.score)::int as score,
         jsonb_agg(jsonb_build_object('rule', p.rule, 'score', s.score, 'values', to_jsonb(p.vals))
                   order by s.score desc, p.rule) as evidence
  from per_rule p
  join ${RULE_SCORES_SQL} s(rule, score) on s.rule = p.rule
  join assets ax on ax.uuid = p.x
  join assets ay on ay.uuid = p.y
  where ax.status <> 'merged' and ay.status <> 'merged' and ax.kind = ay.kind
    and not exists (select 1 from asset_source_links l1
                    join asset_source_links l2 on l2.source_id = l1.source_id and l2.asset_uuid = p.y
                    where l1.asset_uuid = p.x)
  group by p.x, p.y, ax.kind`;

/**
 * Upserts the candidates of the touched assets and drops their open candidates that lost their evidence.
 * One statement.
 */
export async function scoreDuplicateCandidates(q: Q): Promise<{ open: number }> {
  const [r] = await q.query<{ open: number }>(
    `with pairs as materialized (${CANDIDATE_PAIRS_SQL}),
     up as (
       insert into duplicate_candidates (kind, asset_a, asset_b, score, evidence)
       select kind, x, y, score, evidence from pairs
       on conflict (asset_a, asset_b) do update set score = excluded.score, evidence = excluded.evidence,
         updated_at = now()
       where duplicate_candidates.status = 'open'
         and (duplicate_candidates.score, duplicate_candidates.evidence) is distinct from (excluded.score, excluded.evidence)
       returning 1
     ), stale as (
       delete from duplicate_candidates c
       where c.status = 'open'
         and (c.asset_a in (select uuid from _id_touched) or c.asset_b in (select uuid from _id_touched))
         and not exists (select 1 from pairs p where p.x = c.asset_a and p.y = c.asset_b)
       returning 1
     ) select (select count(*)::int from pairs) as open`,
  );
  return r!;
}
