/*
** bundle.h: the export bundle, what export.c writes and import.c reads:
** records moved between databases (an inspector's laptop and the office),
** cli.md "Records you can trust".
**
** THE BUNDLE
**
** A stream of JSON documents, one per line, separated by lines "---" (so
** the YAML reader of doc.c reads it one document at a time and an import
** of any size holds one record in memory):
**
**   {"hazcheck_export":2,"since":"2026-09-01","exported_at":"2026-09-20T08:00:00Z"}
**   ---
**   {"type":"site","id":...,"name":...,...every column of sites...}
**   ---
**   {"type":"inspection",...every column of inspections...,"findings":[{...},...]}
**   ---
**   {"type":"action","uid":"<inspection>#<item>",...every column but the local id...}
**   ---
**   {"type":"enforcement","uid":...,...every column but the local id...}
**   ---
**   {"type":"event","uid":...,"at":...,"by":...,"kind":...,"subject":...,
**    "site_id":...,"note":...,"data":...,"rows":...,"prev_hash":...,"hash":...}
**   ---
**   {"type":"end","records":N,"sha256":"<64 hex digits>"}
**
** Keys are the column names; a NULL column is null. Voids travel with
** their record (voided_at, void_reason) and win on import: nothing comes
** back from a void. Text columns that hold
** JSON themselves (a site's profile, an inspection's result, basis, inputs,
** evidence, an event's data) travel as JSON strings, byte for byte, so an
** event's fields are the same in every database. Reals are written with the
** fewest digits that read back to the same double. The "since" of the header
** is null for a full export.
**
** Records come in an order that keeps foreign keys whole on import: sites,
** inspections (in the order they were recorded, so a re-inspection follows
** the inspection it re-inspects), actions, enforcement, then events in the
** order of the exporting log. The "end" record counts the records before it;
** a bundle without it (cut short at a line boundary) or with another count
** is refused.
**
** PROOF (format 2)
**
** The end record's "sha256" is the SHA-256 of every byte of the bundle
** before the end record's line. import checks it before it writes anything:
** a bundle edited after export (a penalty of 25000 made 250) is refused.
** The events travel with their rows, prev_hash and hash, and form an
** unbroken piece of the exporting database's chain (--since starts the
** piece at the first event at or after that date and takes every event
** after it): import recomputes each event's hash and checks that each
** follows the one before, so an event edited, removed or moved is named
** even in a bundle whose digest was recomputed. Neither is a signature: a
** forger who rewrites the chain and the digest is not stopped; they prove
** the bundle is what a hazcheck exported, not who exported it. A format-1
** bundle carries no digest and is refused: export it again.
**
** WHAT --since DATE SELECTS (NULL: everything)
**
**   inspections  date >= since, recorded_at >= since (an inspection of
**                an earlier day entered late) or voided_at >= since, plus those the rows below
**                need: the inspection and last re-inspection of every
**                action exported, and the inspection each one re-inspects
**                (back to the first);
**   actions      those of the inspections above (as first or as last
**                inspection: a re-inspection since moves an older action),
**                plus every action with an action event at >= since
**                (changed since);
**   enforcement  date >= since, entered since (the time that ends its
**                uid, as enforce.c makes it) or voided since;
**   events       from the first with at >= since, every event after it in
**                the log (times are compared as text: a date sorts before
**                every time of that day);
**   sites        updated_at >= since, plus every site an exported
**                inspection, action or enforcement measure names.
**
*/
#ifndef HC_BUNDLE_H
#define HC_BUNDLE_H

#define HC_BUNDLE_VERSION 2

#endif
