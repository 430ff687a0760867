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
**   {"hazcheck_export":1,"since":"2026-09-01","exported_at":"2026-09-20T08:00:00Z"}
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
**    "site_id":...,"note":...,"data":...}
**   ---
**   {"type":"end","records":N}
**
** Keys are the column names; a NULL column is null. Text columns that hold
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
** WHAT --since DATE SELECTS (NULL: everything)
**
**   inspections  date >= since or recorded_at >= since (an inspection of
**                an earlier day entered late), plus those the rows below
**                need: the inspection and last re-inspection of every
**                action exported, and the inspection each one re-inspects
**                (back to the first);
**   actions      those of the inspections above (as first or as last
**                inspection: a re-inspection since moves an older action),
**                plus every action with an action event at >= since
**                (changed since);
**   enforcement  date >= since, or entered since (the time that ends its
**                uid, as sites.c makes it);
**   events       at >= since (times are compared as text: a date sorts
**                before every time of that day);
**   sites        updated_at >= since, plus every site an exported
**                inspection, action or enforcement measure names.
**
*/
#ifndef HC_BUNDLE_H
#define HC_BUNDLE_H

#define HC_BUNDLE_VERSION 1

#endif
