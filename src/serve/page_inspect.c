/*
** page_inspect.c: an inspection (or an enterprise's self-assessment) filled
** in on a phone: pick the site and the checklist; then the pack's sections
** one page at a time, each input by its type (是/否, labelled choices,
** checkboxes, a number with its unit and range, a date, text, rows of a
** list), the items that do not apply to the site left out, a note, photos
** and 不适用 per item; every section saved in a server-side draft before the
** next one shows; the findings previewed; then recorded as `record` records
** it, and the report with its notice, ready to print.
**
** Form fields are named "a.ITEM.INPUT" ("a.ITEM.INPUT.ROW.FIELD" for a
** list's rows), "a.ITEM.note", "a.ITEM.na" and the file "a.ITEM.photo".
** An answer that does not fit is saved as typed and shown again with why:
** nothing a user typed is thrown away.
*/
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"

#define LIST_BLANK_ROWS 2        /* empty rows offered under a list's filled ones */
#define LIST_MAX_ROWS 200

/* ----------------------------------------------------- pick site and pack */

static int may_start(hc_request *rq, const char *site)
{
    return hc_request_may(rq, HC_RES_INSPECTION, HC_VERB_CREATE, site) ||
           hc_request_may(rq, HC_RES_SELF_ASSESSMENT, HC_VERB_CREATE, site);
}

static void start_page(hc_request *rq, int status, const char *problem)
{
    hc_doc *m = hc_page_model(rq, _("New inspection"));
    hc_node *root = (hc_node *)hc_doc_root(m);
    const char *chosen = hc_arg(rq, "site") ? hc_arg(rq, "site") : hc_form(rq, "site");
    hc_diags d = {0};
    const hc_node *list = NULL;
    hc_doc *seen = hc_visible_sites(rq, &list, &d);
    hc_node *sites = hc_add_seq(m, root, "sites");
    for (size_t i = 0; list && i < list->len; i++) {
        const char *id = hc_str_field(list->kids[i], "id");
        if (!may_start(rq, id)) continue;
        hc_node *o = hc_add_map(m, sites, NULL);
        hc_add_str(m, o, "id", id);
        hc_add_str(m, o, "name", hc_str_field(list->kids[i], "name"));
        hc_add_bool(m, o, "chosen", chosen && strcmp(chosen, id) == 0);
    }
    hc_doc_free(&seen);
    hc_checklist **packs = NULL;
    size_t n = 0;
    hc_engine_list_packs(rq->engine, &packs, &n, &d);
    hc_node *ps = hc_add_seq(m, root, "packs");
    for (size_t i = 0; i < n; i++) {
        hc_node *o = hc_add_map(m, ps, NULL);
        hc_add_str(m, o, "id", packs[i]->id);
        hc_add_str(m, o, "title", packs[i]->title);
        hc_add_str(m, o, "version", packs[i]->version);
    }
    free(packs);
    hc_diags_print(&d, stderr);
    hc_add_str(m, root, "today", hc_store_today(rq->store));
    hc_add_str(m, root, "problem", problem);
    hc_add_bool(m, root, "has_sites", sites->len > 0);
    hc_page_send(rq, status, "inspect", &m);
}

void hc_page_inspect(hc_request *rq, const char *rest)
{
    (void)rest;
    start_page(rq, 200, NULL);
}

/* POST /inspect: a new draft, then its first section. */
void hc_page_inspect_start(hc_request *rq, const char *rest)
{
    (void)rest;
    const char *site = hc_form(rq, "site"), *pack = hc_form(rq, "checklist"), *date = hc_form(rq, "date");
    long days;
    hc_diags d = {0};
    if (site == NULL || !hc_request_may(rq, HC_RES_SITE, HC_VERB_READ, site)) {
        start_page(rq, 404, _("no such site"));
        return;
    }
    if (!may_start(rq, site)) {
        start_page(rq, 403, _("your role may not do this"));
        return;
    }
    if (pack == NULL || hc_engine_checklist(rq->engine, pack, &d) == NULL) {
        hc_diags_print(&d, stderr);
        start_page(rq, 400, _("choose one of the checklists"));
        return;
    }
    if (date == NULL || hc_date_parse(date, strlen(date), &days) != 0) {
        start_page(rq, 400, _("the date must be a calendar date, YYYY-MM-DD"));
        return;
    }
    /* the bureau inspects; an enterprise assesses itself */
    const char *kind = hc_request_may(rq, HC_RES_INSPECTION, HC_VERB_CREATE, site) ? "enforcement" : "self";
    hc_draft_spec spec = {rq->session.user, site, pack, kind, date};
    char id[65];
    if (hc_store_draft_new(rq->store, &spec, id, &d) != 0) {
        hc_diags_print(&d, stderr);
        start_page(rq, 500, _("the database failed; see the server's log"));
        return;
    }
    char to[128];
    snprintf(to, sizeof to, "/drafts/%s", id);
    hc_redirect(rq, to);
}

/* --------------------------------------------------------------- a draft */

/* A draft with what it needs to be shown: the pack, the site, which items apply. */
typedef struct draft {
    hc_doc *doc;
    const hc_node *d;             /* {id, site, checklist, kind, date, answers} */
    const hc_checklist *pack;
    hc_doc *site;
    hc_interview *iv;
    char **sections;              /* the pack's sections, in order (owned strings) */
    size_t nsections;
} draft;

static void draft_close(draft *dr)
{
    hc_interview_end(&dr->iv);
    hc_doc_free(&dr->site);
    hc_doc_free(&dr->doc);
    for (size_t i = 0; i < dr->nsections; i++) free(dr->sections[i]);
    free(dr->sections);
    memset(dr, 0, sizeof *dr);
}

static const char *section_of(const hc_item *it)
{
    return it->section ? it->section : "";
}

/* The user's draft 'id' made ready; 0, or the status after answering. */
static int draft_open(hc_request *rq, const char *id, draft *dr)
{
    memset(dr, 0, sizeof *dr);
    hc_diags d = {0};
    int got = hc_store_draft(rq->store, id, rq->session.user, &dr->doc, &d);
    if (got != 1) {
        hc_diags_print(&d, stderr);
        hc_page_problem(rq, got == 0 ? 404 : 500, got == 0 ? _("no such draft") : _("the database failed; see the server's log"));
        return got == 0 ? 404 : 500;
    }
    dr->d = hc_map_get(hc_doc_root(dr->doc), "draft");
    const char *site = hc_str_field(dr->d, "site");
    /* the site may have left the user's reach since the draft began */
    if (!may_start(rq, site)) {
        draft_close(dr);
        hc_page_problem(rq, 404, _("no such draft"));
        return 404;
    }
    dr->pack = hc_engine_checklist(rq->engine, hc_str_field(dr->d, "checklist"), &d);
    int found = dr->pack ? hc_store_site_lookup(rq->store, site, &dr->site, &d) : -1;
    if (found == 1)
        dr->iv = hc_interview_begin(rq->engine, dr->pack, hc_doc_root(dr->site), hc_str_field(dr->d, "date"),
                                    rq->session.user, &d);
    if (dr->iv == NULL || dr->pack == NULL) {
        hc_diags_print(&d, stderr);
        draft_close(dr);
        hc_page_problem(rq, 500, _("the checklist of this draft cannot be loaded; see the server's log"));
        return 500;
    }
    hc_diags_clear(&d);
    dr->sections = hc_xcalloc(dr->pack->nitems + 1, sizeof *dr->sections);
    for (size_t i = 0; i < dr->pack->nitems; i++) {
        const char *sec = section_of(&dr->pack->items[i]);
        int seen = 0;
        for (size_t k = 0; k < dr->nsections && !seen; k++) seen = strcmp(dr->sections[k], sec) == 0;
        if (!seen) dr->sections[dr->nsections++] = hc_xstrdup(sec);
    }
    return 0;
}

static const hc_node *answer_of(const draft *dr, const char *item)
{
    const hc_node *a = hc_map_get(dr->d, "answers");
    return a && a->kind == HC_MAP ? hc_map_get(a, item) : NULL;
}

static const char *scalar_of(const hc_node *n)
{
    return n && n->kind == HC_SCALAR ? n->str : NULL;
}

/* One input of the form, with what the draft holds for it. */
static void model_input(hc_doc *m, hc_node *list, const hc_input *in, const hc_node *held, const char *prefix)
{
    hc_node *o = hc_add_map(m, list, NULL);
    char name[256];
    snprintf(name, sizeof name, "%s.%s", prefix, in->name);
    hc_add_str(m, o, "field", name);
    hc_add_str(m, o, "label", in->label ? in->label : in->name);
    hc_add_str(m, o, "unit", in->unit);
    hc_add_bool(m, o, "required", in->required);
    static const char *const kinds[] = {"is_bool", "is_number", "is_integer", "is_text", "is_enum", "is_set",
                                        "is_date", "is_list"};
    hc_add_bool(m, o, kinds[in->type], 1);
    if (in->has_min) hc_add_num(m, o, "min", in->min);
    if (in->has_max) hc_add_num(m, o, "max", in->max);
    const char *v = scalar_of(held);
    hc_add_str(m, o, "value", v);
    if (in->type == HC_IN_BOOL) {
        hc_add_bool(m, o, "yes", v && strcmp(v, "true") == 0);
        hc_add_bool(m, o, "no", v && strcmp(v, "false") == 0);
    }
    hc_node *ch = hc_add_seq(m, o, "choices");
    for (size_t i = 0; (in->type == HC_IN_ENUM || in->type == HC_IN_SET) && i < in->nvalues; i++) {
        hc_node *c = hc_add_map(m, ch, NULL);
        hc_add_str(m, c, "value", in->values[i]);
        hc_add_str(m, c, "label", hc_input_value_label(in, i));
        int on = v && strcmp(v, in->values[i]) == 0;
        for (size_t k = 0; held && held->kind == HC_SEQ && k < held->len && !on; k++)
            on = held->kids[k]->kind == HC_SCALAR && strcmp(held->kids[k]->str, in->values[i]) == 0;
        hc_add_bool(m, c, "chosen", on);
    }
    if (in->type == HC_IN_LIST) {
        hc_node *heads = hc_add_seq(m, o, "columns");
        for (size_t f = 0; f < in->nfields; f++) {
            const hc_input *fi = &in->fields[f];
            hc_add_str(m, heads, NULL, fi->unit ? fi->label : fi->label ? fi->label : fi->name);
        }
        size_t filled = held && held->kind == HC_SEQ ? held->len : 0;
        hc_node *rows = hc_add_seq(m, o, "rows");
        for (size_t r = 0; r < filled + LIST_BLANK_ROWS && r < LIST_MAX_ROWS; r++) {
            hc_node *row = hc_add_map(m, rows, NULL);
            hc_node *cells = hc_add_seq(m, row, "cells");
            char rp[300];
            snprintf(rp, sizeof rp, "%s.%zu", name, r);
            for (size_t f = 0; f < in->nfields; f++)
                model_input(m, cells, &in->fields[f], r < filled ? hc_map_get(held->kids[r], in->fields[f].name) : NULL, rp);
        }
    }
}

static void model_item(hc_doc *m, hc_node *items, const hc_item *it, const hc_node *held, const char *problem)
{
    hc_node *o = hc_add_map(m, items, NULL);
    hc_add_str(m, o, "id", it->id);
    hc_add_str(m, o, "title", it->title);
    hc_add_bool(m, o, "major", it->severity == HC_SEV_MAJOR);
    hc_buf b = {0};
    for (size_t q = 0; q < it->nbasis; q++) hc_buf_printf(&b, "%s%s", q ? "；" : "", it->basis[q]);
    hc_add_str(m, o, "basis_text", b.len ? b.data : NULL);
    hc_buf_free(&b);
    char prefix[160];
    snprintf(prefix, sizeof prefix, "a.%s", it->id);
    hc_add_str(m, o, "prefix", prefix);
    hc_node *inputs = hc_add_seq(m, o, "inputs");
    for (size_t q = 0; q < it->ninputs; q++)
        model_input(m, inputs, &it->inputs[q], held ? hc_map_get(held, it->inputs[q].name) : NULL, prefix);
    const hc_node *na = held ? hc_map_get(held, "na") : NULL;
    hc_add_bool(m, o, "na", na != NULL);
    hc_add_str(m, o, "na_reason", scalar_of(na));
    hc_add_str(m, o, "note", held ? scalar_of(hc_map_get(held, "note")) : NULL);
    const hc_node *ev = held ? hc_map_get(held, "evidence") : NULL;
    hc_node *photos = hc_add_seq(m, o, "photos");
    for (size_t i = 0; ev && ev->kind == HC_SEQ && i < ev->len; i++)
        if (ev->kids[i]->kind == HC_SCALAR && hc_evidence_ref_valid(ev->kids[i]->str))
            hc_add_str(m, photos, NULL, ev->kids[i]->str);
    hc_add_str(m, o, "problem", problem);
}

/* Section k of the draft as a page; problems[i] (or NULL) per pack item. */
static void section_page(hc_request *rq, draft *dr, size_t k, int status, char **problems)
{
    char title[200];
    snprintf(title, sizeof title, "%s", dr->pack->title);
    hc_doc *m = hc_page_model(rq, title);
    hc_node *root = (hc_node *)hc_doc_root(m);
    hc_add_str(m, root, "draft", hc_str_field(dr->d, "id"));
    hc_add_str(m, root, "pack", dr->pack->title);
    hc_add_str(m, root, "site_name", hc_str_field(hc_doc_root(dr->site), "name"));
    hc_add_str(m, root, "date", hc_str_field(dr->d, "date"));
    hc_add_int(m, root, "section", (long long)k);
    hc_add_str(m, root, "section_name", dr->sections[k][0] ? dr->sections[k] : _("other"));
    hc_add_bool(m, root, "has_previous", k > 0);
    hc_add_bool(m, root, "is_last", k + 1 == dr->nsections);
    hc_node *steps = hc_add_seq(m, root, "steps");
    for (size_t i = 0; i < dr->nsections; i++) {
        hc_node *o = hc_add_map(m, steps, NULL);
        hc_add_str(m, o, "name", dr->sections[i][0] ? dr->sections[i] : _("other"));
        hc_add_int(m, o, "n", (long long)i);
        hc_add_bool(m, o, "now", i == k);
    }
    hc_node *items = hc_add_seq(m, root, "items");
    size_t hidden = 0;
    for (size_t i = 0; i < dr->pack->nitems; i++) {
        const hc_item *it = &dr->pack->items[i];
        if (strcmp(section_of(it), dr->sections[k]) != 0) continue;
        const char *why;
        if (hc_interview_applies(dr->iv, i, &why) != 1) {
            hidden++;
            continue;
        }
        model_item(m, items, it, answer_of(dr, it->id), problems ? problems[i] : NULL);
    }
    hc_add_int(m, root, "hidden", (long long)hidden);
    hc_add_bool(m, root, "has_hidden", hidden > 0);
    hc_add_bool(m, root, "has_items", items->len > 0);
    hc_page_send(rq, status, "draft", &m);
}

/* --------------------------------------------------- form -> answer */

/* A value typed by its input: true/false, a number, or the text as typed
   (then the check says why it does not fit). */
static void add_typed(hc_doc *m, hc_node *o, const char *key, const hc_input *in, const char *v)
{
    char *end;
    if (in->type == HC_IN_BOOL && strcmp(v, "true") == 0) hc_add_bool(m, o, key, 1);
    else if (in->type == HC_IN_BOOL && strcmp(v, "false") == 0) hc_add_bool(m, o, key, 0);
    else if (in->type == HC_IN_INTEGER && (strtoll(v, &end, 10), *end == '\0')) hc_add_int(m, o, key, strtoll(v, NULL, 10));
    else if (in->type == HC_IN_NUMBER && (strtod(v, &end), *end == '\0')) hc_add_num(m, o, key, strtod(v, NULL));
    else hc_add_str(m, o, key, v);
}

/* Every value of field 'name' (a set's checkboxes), or the first. */
static size_t values(const hc_request *rq, const char *name, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; rq->form && i < rq->form->n && n < max; i++)
        if (strcmp(rq->form->v[i].name, name) == 0) out[n++] = rq->form->v[i].value;
    return n;
}

/* The inputs of one item (or one list row) from the form into map o; the
   number of inputs given. 'documented': the item has a note or a photo. */
static size_t form_inputs(hc_request *rq, hc_doc *m, hc_node *o, const hc_input *ins, size_t n, const char *prefix,
                          int documented)
{
    size_t given = 0, nempty = 0;
    const char *empty[64];        /* sets with no box ticked */
    for (size_t q = 0; q < n; q++) {
        const hc_input *in = &ins[q];
        char name[300];
        snprintf(name, sizeof name, "%s.%s", prefix, in->name);
        if (in->type == HC_IN_SET) {
            const char *v[256];
            size_t k = values(rq, name, v, 256), ticked = 0;
            for (size_t i = 0; i < k; i++) ticked += *v[i] != '\0';
            if (ticked == 0) {
                if (nempty < 64) empty[nempty++] = in->name;
                continue;
            }
            hc_node *seq = hc_add_seq(m, o, in->name);
            for (size_t i = 0; i < k; i++)
                if (*v[i]) hc_add_str(m, seq, NULL, v[i]);
            given++;
        } else if (in->type == HC_IN_LIST) {
            hc_node *seq = NULL;
            for (size_t r = 0; r < LIST_MAX_ROWS; r++) {
                char rp[320];
                snprintf(rp, sizeof rp, "%s.%zu", name, r);
                hc_node *row = hc_tree_node(m, HC_MAP);
                if (form_inputs(rq, m, row, in->fields, in->nfields, rp, 0) == 0) continue;
                if (seq == NULL) seq = hc_add_seq(m, o, in->name);
                hc_tree_add(m, seq, NULL, row);
            }
            given += seq != NULL;
        } else {
            const char *v = hc_form(rq, name);
            if (v == NULL || *v == '\0') continue;
            add_typed(m, o, in->name, in, v);
            given++;
        }
    }
    /* An unticked group of boxes cannot tell "none of these" from "not looked
       at": it is "none" only when the rest of the item was answered. */
    for (size_t i = 0; (given || documented) && i < nempty; i++) hc_add_seq(m, o, empty[i]);
    return given + (documented && nempty);
}

static char *node_json(const hc_node *n)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f == NULL) return NULL;
    hc_write_json_node(f, n);
    fclose(f);
    return text;
}

/* Save the items of section k from the form into the draft; problems[i] for
   an answer that does not fit. -1 when the draft could not be written. */
static int save_section(hc_request *rq, draft *dr, size_t k, char **problems, int *any_problem)
{
    const char *id = hc_str_field(dr->d, "id");
    hc_diags d = {0};
    for (size_t i = 0; i < dr->pack->nitems; i++) {
        const hc_item *it = &dr->pack->items[i];
        const char *why;
        if (strcmp(section_of(it), dr->sections[k]) != 0 || hc_interview_applies(dr->iv, i, &why) != 1) continue;
        char prefix[160], key[200];
        snprintf(prefix, sizeof prefix, "a.%s", it->id);
        hc_doc *m = hc_doc_new("answer");
        hc_node *o = (hc_node *)hc_doc_root(m);
        /* the photos kept before, then the new ones */
        const hc_node *held = answer_of(dr, it->id), *ev = held ? hc_map_get(held, "evidence") : NULL;
        hc_node *photos = hc_tree_node(m, HC_SEQ);
        for (size_t e = 0; ev && ev->kind == HC_SEQ && e < ev->len; e++)
            if (ev->kids[e]->kind == HC_SCALAR) hc_add_str(m, photos, NULL, ev->kids[e]->str);
        snprintf(key, sizeof key, "%s.photo", prefix);
        for (size_t f = 0; f < rq->nfiles; f++) {
            if (strcmp(rq->files[f].field, key) != 0) continue;
            char ref[72];
            int kept = hc_evidence_keep(rq, rq->files[f].path, rq->files[f].len, ref);
            if (kept == 201) hc_add_str(m, photos, NULL, ref);
            else if (problems[i] == NULL) problems[i] = hc_xstrdup(hc_evidence_refusal(kept));
        }
        snprintf(key, sizeof key, "%s.na", prefix);
        const char *na = hc_form(rq, key);
        snprintf(key, sizeof key, "%s.na_reason", prefix);
        const char *na_reason = hc_form(rq, key);
        snprintf(key, sizeof key, "%s.note", prefix);
        const char *note = hc_form(rq, key);
        size_t given = 0;
        if (na) {
            hc_add_str(m, o, "na", na_reason && *na_reason ? na_reason : _("not applicable"));
            given = 1;
        } else {
            /* a note or a photo answers the item too: its unticked boxes are "none" */
            int documented = (note && *note) || photos->len;
            given = form_inputs(rq, m, o, it->inputs, it->ninputs, prefix, documented);
        }
        if (note && *note) hc_add_str(m, o, "note", note), given++;
        if (photos->len) hc_tree_add(m, o, "evidence", photos), given++;
        char *json = given ? node_json(o) : NULL;
        char why_buf[512];
        if (given && !na && hc_interview_check(dr->iv, i, o, why_buf, sizeof why_buf) != 0 && problems[i] == NULL)
            problems[i] = hc_xstrdup(why_buf);
        if (problems[i]) *any_problem = 1;
        int rc = hc_store_draft_answer(rq->store, id, rq->session.user, it->id, json, &d);
        free(json);
        hc_doc_free(&m);
        if (rc != 0) {
            hc_diags_print(&d, stderr);
            return -1;
        }
    }
    return 0;
}

/* The draft as an inspection document (formats.md section 3). */
static hc_doc *draft_inspection(const draft *dr, const char *inspector)
{
    hc_doc *m = hc_doc_new("inspection");
    hc_node *root = (hc_node *)hc_doc_root(m);
    hc_node *head = hc_add_map(m, root, "inspection");
    hc_add_str(m, head, "site", hc_str_field(dr->d, "site"));
    hc_add_str(m, head, "checklist", hc_str_field(dr->d, "checklist"));
    hc_add_str(m, head, "date", hc_str_field(dr->d, "date"));
    hc_add_str(m, head, "inspector", inspector);
    hc_add_str(m, head, "kind", hc_str_field(dr->d, "kind"));
    const hc_node *a = hc_map_get(dr->d, "answers");
    if (a && a->kind == HC_MAP) hc_tree_add(m, root, "answers", hc_tree_copy(m, a));
    else hc_add_map(m, root, "answers");
    /* through text and the reader, so the answers are typed as a file's are */
    char *json = node_json(root);
    hc_doc_free(&m);
    hc_doc *doc = NULL;
    hc_diags d = {0};
    hc_reader *r = json ? hc_reader_open_mem("draft", json, strlen(json), NULL, &d) : NULL;
    if (r == NULL || hc_reader_next(r, &doc, &d) != 1) hc_doc_free(&doc);
    hc_reader_close(&r);
    hc_diags_print(&d, stderr);
    free(json);
    return doc;
}

static void preview_page(hc_request *rq, draft *dr, int status, const hc_diags *problems)
{
    hc_doc *m = hc_page_model(rq, _("Check before recording"));
    hc_node *root = (hc_node *)hc_doc_root(m);
    hc_add_str(m, root, "draft", hc_str_field(dr->d, "id"));
    hc_add_str(m, root, "pack", dr->pack->title);
    hc_add_str(m, root, "site_name", hc_str_field(hc_doc_root(dr->site), "name"));
    hc_add_int(m, root, "last_section", (long long)dr->nsections - 1);
    hc_diags d = {0};
    hc_doc *doc = draft_inspection(dr, rq->session.user);
    hc_inspection *in = doc ? hc_inspection_load(rq->engine, doc, &d) : NULL;
    hc_node *list = hc_add_seq(m, root, "problems");
    for (size_t i = 0; i < d.n; i++)
        if (d.v[i].level == HC_ERROR) hc_add_str(m, list, NULL, d.v[i].msg);
    for (size_t i = 0; problems && i < problems->n; i++) hc_add_str(m, list, NULL, problems->v[i].msg);
    hc_add_bool(m, root, "has_problems", list->len > 0);
    if (in && d.errors == 0) {
        hc_result *r = hc_evaluate(rq->engine, in);
        hc_add_str(m, root, "verdict", hc_verdict_name(r->verdict));
        hc_add_str(m, root, "verdict_label", hc_vocab_text(HC_VOCAB_VERDICT, hc_verdict_name(r->verdict)));
        hc_add_num(m, root, "score", r->score);
        hc_node *counts = hc_add_map(m, root, "counts");
        hc_add_int(m, counts, "fail", (long long)r->counts[HC_FAIL]);
        hc_add_int(m, counts, "pass", (long long)r->counts[HC_PASS]);
        hc_add_int(m, counts, "na", (long long)r->counts[HC_NA]);
        hc_add_int(m, counts, "unanswered", (long long)r->counts[HC_UNANSWERED]);
        hc_node *fails = hc_add_seq(m, root, "fails");
        for (size_t i = 0; i < r->n; i++) {
            const hc_finding *f = &r->findings[i];
            if (f->status != HC_FAIL) continue;
            hc_node *o = hc_add_map(m, fails, NULL);
            hc_add_str(m, o, "id", f->item->id);
            hc_add_str(m, o, "title", f->item->title);
            hc_add_str(m, o, "message", f->message);
            hc_add_bool(m, o, "major", f->item->severity == HC_SEV_MAJOR);
            hc_add_str(m, o, "deadline", f->deadline);
        }
        hc_add_bool(m, root, "has_fails", fails->len > 0);
        hc_add_bool(m, root, "may_submit", 1);
        hc_result_free(&r);
    }
    hc_inspection_free(&in);
    hc_diags_clear(&d);
    hc_page_send(rq, status, "preview", &m);
}

/* The draft id of "ID" or "ID/part" (only 'part' allowed) into id; the part
   or "" in *tail. 0, or -1 after answering 404. */
static int draft_path(hc_request *rq, const char *rest, const char *part, char id[80], const char **tail)
{
    const char *slash = strchr(rest, '/');
    size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
    if (n == 0 || n >= 80 || (slash && strcmp(slash + 1, part) != 0)) {
        hc_page_problem(rq, 404, _("no such draft"));
        return -1;
    }
    memcpy(id, rest, n);
    id[n] = '\0';
    *tail = slash ? slash + 1 : "";
    return 0;
}

/* GET /drafts/{id}[?s=N] and /drafts/{id}/preview */
void hc_page_draft(hc_request *rq, const char *rest)
{
    char id[80];
    const char *slash;
    if (draft_path(rq, rest, "preview", id, &slash) != 0) return;
    draft dr;
    if (draft_open(rq, id, &dr) != 0) return;
    if (*slash) {
        preview_page(rq, &dr, 200, NULL);
    } else {
        const char *s = hc_arg(rq, "s");
        size_t k = s ? strtoul(s, NULL, 10) : 0;
        section_page(rq, &dr, k < dr.nsections ? k : 0, 200, NULL);
    }
    draft_close(&dr);
}

/* POST /drafts/{id} (a section: save it, then the next, the previous or the
   preview) and /drafts/{id}/submit (record it). */
void hc_page_draft_save(hc_request *rq, const char *rest)
{
    char id[80];
    const char *slash;
    if (draft_path(rq, rest, "submit", id, &slash) != 0) return;
    draft dr;
    if (draft_open(rq, id, &dr) != 0) return;
    char to[200];
    if (*slash) {
        hc_diags d = {0};
        char *rid = NULL;
        hc_buf json = {0};
        hc_doc *doc = draft_inspection(&dr, rq->session.user);
        int status = doc ? hc_inspection_record(rq, doc, &rid, &json, &d) : 500;
        if (status == 200 || status == 201) {
            hc_store_draft_delete(rq->store, id, rq->session.user, &d);
            snprintf(to, sizeof to, "/inspections/%s", rid);
            hc_redirect(rq, to);
        } else {
            preview_page(rq, &dr, status, &d);
        }
        free(rid);
        hc_buf_free(&json);
        hc_diags_clear(&d);
        draft_close(&dr);
        return;
    }
    const char *s = hc_form(rq, "s");
    size_t k = s ? strtoul(s, NULL, 10) : 0;
    if (k >= dr.nsections) k = 0;
    size_t npack = dr.pack->nitems;
    char **problems = hc_xcalloc(npack + 1, sizeof *problems);
    int any = 0;
    if (save_section(rq, &dr, k, problems, &any) != 0) {
        hc_page_problem(rq, 500, _("the draft could not be saved; see the server's log"));
    } else if (any) {
        /* shown again, as saved, with why */
        draft_close(&dr);
        if (draft_open(rq, id, &dr) == 0) section_page(rq, &dr, k, 422, problems);
    } else {
        const char *go = hc_form(rq, "go");
        if (go && strcmp(go, "previous") == 0 && k > 0) snprintf(to, sizeof to, "/drafts/%s?s=%zu", id, k - 1);
        else if ((go && strcmp(go, "preview") == 0) || k + 1 >= dr.nsections) snprintf(to, sizeof to, "/drafts/%s/preview", id);
        else snprintf(to, sizeof to, "/drafts/%s?s=%zu", id, k + 1);
        hc_redirect(rq, to);
    }
    for (size_t i = 0; i < npack; i++) free(problems[i]);
    free(problems);
    draft_close(&dr);
}

/* GET /inspections/{id}: the papers, ready to print. */
void hc_page_inspection(hc_request *rq, const char *rest)
{
    char *site = NULL;
    hc_diags d = {0};
    int got = strchr(rest, '/') ? 0 : hc_store_inspection_result(rq->store, rest, NULL, &site, &d);
    hc_diags_print(&d, stderr);
    if (got == 1 && hc_request_may(rq, HC_RES_INSPECTION, HC_VERB_READ, site)) hc_inspection_report(rq, rest);
    else hc_page_problem(rq, got < 0 ? 500 : 404, _("no such inspection"));
    free(site);
}
