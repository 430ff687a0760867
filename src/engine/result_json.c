/*
** result_json.c: a result as JSON (formats.md section 4), the one form that
** programs read, the store keeps and the pages are checked against. It is
** the engine's because the store records it; it streams because a batch of
** any size must cost the memory of one inspection.
*/
#include "engine/engine.h"

void hc_write_json(FILE *f, const hc_result *r, int pretty)
{
    const hc_inspection *in = r->in;
    const hc_checklist *c = r->checklist;
    hc_json j;
    hc_json_init(&j, f, pretty);
    hc_json_begin_object(&j);
    hc_json_key(&j, "hazcheck");
    hc_json_integer(&j, HC_FORMAT_VERSION);
    hc_json_key(&j, "inspection");
    hc_json_begin_object(&j);
    hc_json_key(&j, "id");
    hc_json_string(&j, in->id);
    hc_json_key(&j, "site");
    hc_json_string(&j, in->site_id);
    hc_json_key(&j, "site_name");
    hc_json_string(&j, in->site_name);
    hc_json_key(&j, "checklist");
    hc_json_string(&j, c->id);
    hc_json_key(&j, "checklist_version");
    hc_json_string(&j, c->version);
    hc_json_key(&j, "checklist_title");
    hc_json_string(&j, c->title);
    hc_json_key(&j, "checklist_sha256");
    hc_json_string(&j, c->sha256);
    hc_json_key(&j, "date");
    hc_json_string(&j, in->date);
    hc_json_key(&j, "inspector");
    hc_json_string(&j, in->inspector);
    hc_json_key(&j, "kind");
    hc_json_string(&j, in->kind);
    hc_json_end_object(&j);

    hc_json_key(&j, "summary");
    hc_json_begin_object(&j);
    hc_json_key(&j, "verdict");
    hc_json_string(&j, hc_verdict_name(r->verdict));
    hc_json_key(&j, "score");
    hc_json_number(&j, r->score);
    hc_json_key(&j, "pass_mark");
    if (c->has_pass_mark) hc_json_number(&j, c->pass_mark);
    else hc_json_null(&j);
    hc_json_key(&j, "passed_mark");
    if (r->passed_mark >= 0) hc_json_bool(&j, r->passed_mark);
    else hc_json_null(&j);
    hc_json_key(&j, "counts");
    hc_json_begin_object(&j);
    static const hc_status order[] = {HC_PASS, HC_FAIL, HC_NA, HC_UNANSWERED, HC_ERROR_ST};
    for (int i = 0; i < 5; i++) {
        hc_json_key(&j, hc_status_name(order[i]));
        hc_json_integer(&j, (long long)r->counts[order[i]]);
    }
    hc_json_end_object(&j);
    hc_json_key(&j, "major_failed");
    hc_json_integer(&j, (long long)r->major_failed);
    if (in->unknown_items) {
        hc_json_key(&j, "unknown_items");
        hc_json_integer(&j, (long long)in->unknown_items);
    }
    hc_json_end_object(&j);

    if (r->nwarnings) {
        hc_json_key(&j, "warnings");
        hc_json_begin_array(&j);
        for (size_t i = 0; i < r->nwarnings; i++) hc_json_string(&j, r->warnings[i]);
        hc_json_end_array(&j);
    }

    hc_json_key(&j, "findings");
    hc_json_begin_array(&j);
    for (size_t i = 0; i < r->n; i++) {
        const hc_finding *fd = &r->findings[i];
        const hc_item *it = fd->item;
        const hc_answer *a = fd->answer;
        hc_json_begin_object(&j);
        hc_json_key(&j, "item");
        hc_json_string(&j, it->id);
        hc_json_key(&j, "title");
        hc_json_string(&j, it->title);
        hc_json_key(&j, "section");
        hc_json_string(&j, it->section);
        hc_json_key(&j, "status");
        hc_json_string(&j, hc_status_name(fd->status));
        hc_json_key(&j, "severity");
        hc_json_string(&j, hc_severity_name(it->severity));
        hc_json_key(&j, "weight");
        hc_json_number(&j, it->weight);
        hc_json_key(&j, "message");
        hc_json_string(&j, fd->message);
        hc_json_key(&j, "basis");
        hc_json_begin_array(&j);
        for (size_t k = 0; k < it->nbasis; k++) hc_json_string(&j, it->basis[k]);
        hc_json_end_array(&j);
        hc_json_key(&j, "remedy");
        hc_json_string(&j, it->remedy);
        hc_json_key(&j, "order");
        hc_json_string(&j, fd->status == HC_FAIL ? hc_order_name(it->order) : NULL);
        hc_json_key(&j, "deadline");
        hc_json_string(&j, fd->deadline[0] ? fd->deadline : NULL);
        hc_json_key(&j, "inputs");
        hc_json_value(&j, &a->obs);
        hc_json_key(&j, "note");
        hc_json_string(&j, a->note);
        hc_json_key(&j, "evidence");
        hc_json_begin_array(&j);
        for (size_t k = 0; k < a->nevidence; k++) hc_json_string(&j, a->evidence[k]);
        hc_json_end_array(&j);
        hc_json_end_object(&j);
    }
    hc_json_end_array(&j);
    hc_json_end_object(&j);
}

