/*
** page_actions.c: the actions the user may see, filtered by state, site and
** overdue; an action's page with its history (notes, photos) and a form for
** each step the user may take now: the enterprise rectifies with a note,
** photos and the cost; the inspector verifies or reopens; the squad assigns.
*/
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"

#define PAGE_ROWS 50              /* actions per page of the list */

static void label_action(hc_doc *m, hc_node *a)
{
    const char *st = hc_str_field(a, "status"), *sev = hc_str_field(a, "severity");
    hc_add_str(m, a, "status_label", st ? hc_vocab_text(HC_VOCAB_ACTION_STATE, st) : NULL);
    hc_add_str(m, a, "severity_label", sev ? hc_vocab_text(HC_VOCAB_SEVERITY, sev) : NULL);
    hc_add_bool(m, a, "major", sev && strcmp(sev, "major") == 0);
}

void hc_page_actions(hc_request *rq, const char *rest)
{
    (void)rest;
    const char *status = hc_arg(rq, "status"), *site = hc_arg(rq, "site");
    /* a page of the list at a time, asked of the database: a squad's years of
       actions are thousands */
    const char *pg = hc_arg(rq, "page");
    long page = pg ? strtol(pg, NULL, 10) : 1;
    if (page < 1 || page > 100000) page = 1;
    hc_action_filter f = {.site = site, .status = status, .no_events = 1, .limit = PAGE_ROWS,
                          .offset = (page - 1) * PAGE_ROWS};
    const hc_node *list = NULL;
    hc_diags d = {0};
    long long total = hc_visible_action_count(rq, &f, &d);
    hc_doc *seen = total >= 0 ? hc_visible_actions(rq, &f, &list, &d) : NULL;
    if (seen == NULL) {
        hc_page_problem(rq, d.errors && status ? 400 : 500,
                        d.n ? d.v[0].msg : _("the database failed; see the server's log"));
        hc_diags_clear(&d);
        return;
    }
    hc_doc *m = hc_page_model(rq, _("Actions"));
    hc_node *root = (hc_node *)hc_doc_root(m);
    hc_node *rows = hc_add_seq(m, root, "actions");
    long pages = (long)((total + PAGE_ROWS - 1) / PAGE_ROWS);
    for (size_t i = 0; i < list->len; i++)
        label_action(m, hc_tree_add(m, rows, NULL, hc_tree_copy(m, list->kids[i])));
    hc_add_int(m, root, "page", page);
    hc_add_int(m, root, "pages", pages ? pages : 1);
    if (page > 1) hc_add_int(m, root, "previous", page - 1);
    if (page < pages) hc_add_int(m, root, "next", page + 1);
    hc_add_bool(m, root, "paged", pages > 1);
    static const char *const states[] = {"open", "rectified", "verified", "overdue"};
    hc_node *st = hc_add_seq(m, root, "states");
    for (size_t i = 0; i < 4; i++) {
        hc_node *o = hc_add_map(m, st, NULL);
        hc_add_str(m, o, "code", states[i]);
        hc_add_str(m, o, "label", i < 3 ? hc_vocab_text(HC_VOCAB_ACTION_STATE, states[i]) : _("overdue"));
        hc_add_bool(m, o, "chosen", status && strcmp(status, states[i]) == 0);
    }
    hc_add_str(m, root, "site", site);
    hc_add_str(m, root, "status", status);
    hc_add_int(m, root, "count", total);
    hc_doc_free(&seen);
    hc_diags_clear(&d);
    hc_page_send(rq, 200, "actions", &m);
}

/* An event of an action's life in words, and when it was in local time. */
static void label_events(hc_doc *m, hc_node *a)
{
    static const struct { const char *code, *word; } kinds[] = {
        {"open", N_("found")}, {"rectify", N_("reported rectified")}, {"verify", N_("verified and closed")},
        {"reopen", N_("reopened")}, {"assign", N_("assigned")}, {"carry", N_("carried over by an amendment")},
        {"void", N_("voided")},
    };
    hc_node *events = (hc_node *)hc_map_get(a, "events");
    for (size_t i = 0; events && events->kind == HC_SEQ && i < events->len; i++) {
        hc_node *e = events->kids[i];
        const char *kind = hc_str_field(e, "kind"), *at = hc_str_field(e, "at");
        for (size_t k = 0; kind && k < sizeof kinds / sizeof kinds[0]; k++)
            if (strcmp(kind, kinds[k].code) == 0) hc_add_str(m, e, "kind_label", _(kinds[k].word));
        char local[20];
        hc_time_local(at ? at : "", local);
        hc_add_str(m, e, "when", local);
    }
}

/* An action's page (with 'problem' shown over its forms). */
static void action_page(hc_request *rq, const char *id, int status, const char *problem)
{
    const hc_node *list = NULL;
    hc_action_filter f = {.id = id};
    hc_diags d = {0};
    hc_doc *seen = hc_visible_actions(rq, &f, &list, &d);
    hc_diags_print(&d, stderr);
    const hc_node *act = seen ? hc_action_in(list, id) : NULL;
    if (act == NULL) {
        hc_doc_free(&seen);
        hc_page_problem(rq, seen ? 404 : 500, _("no such action"));
        return;
    }
    char title[64];
    snprintf(title, sizeof title, _("Action %s"), id);
    hc_doc *m = hc_page_model(rq, title);
    hc_node *root = (hc_node *)hc_doc_root(m);
    hc_node *a = hc_tree_add(m, root, "action", hc_tree_copy(m, act));
    label_action(m, a);
    label_events(m, a);
    const char *st = hc_str_field(act, "status");
    static const char *const steps[] = {"rectify", "verify", "reopen", "assign"};
    for (size_t k = 0; k < 4; k++) {
        char key[16];
        snprintf(key, sizeof key, "may_%s", steps[k]);
        hc_add_bool(m, root, key, st && hc_action_step_allowed(steps[k], st) && hc_action_may(rq, act, steps[k]));
    }
    hc_add_str(m, root, "problem", problem);
    hc_doc_free(&seen);
    hc_page_send(rq, status, "action", &m);
}

void hc_page_action(hc_request *rq, const char *rest)
{
    if (strchr(rest, '/') || strlen(rest) > 24) {
        hc_page_problem(rq, 404, _("no such action"));
        return;
    }
    action_page(rq, rest, 200, NULL);
}

/* POST /actions/{id}/{step}: the step's fields; a rectification's photos
   are kept as evidence first, and cited by the step. */
void hc_page_action_step(hc_request *rq, const char *rest)
{
    const char *slash = strchr(rest, '/');
    char id[32];
    if (slash == NULL || slash == rest || (size_t)(slash - rest) >= sizeof id) {
        hc_page_problem(rq, 404, _("no such action"));
        return;
    }
    snprintf(id, sizeof id, "%.*s", (int)(slash - rest), rest);
    hc_step st = {slash + 1, hc_form(rq, "note"), NULL, 0, hc_form(rq, "cost"), hc_form(rq, "to")};
    if (st.cost && *st.cost == '\0') st.cost = NULL;
    int status = hc_action_step_check(rq, id, st.name);
    char refs[HC_UPLOADS_MAX][72];
    const char *cited[HC_UPLOADS_MAX];
    for (size_t i = 0; status == 200 && i < rq->nfiles; i++) {
        int kept = hc_evidence_keep(rq, rq->files[i].path, rq->files[i].len, refs[st.nrefs]);
        if (kept != 201) {
            action_page(rq, id, kept, hc_evidence_refusal(kept));
            return;
        }
        cited[st.nrefs] = refs[st.nrefs];
        st.nrefs++;
    }
    st.refs = cited;
    hc_diags d = {0};
    hc_doc *seen = NULL;
    const hc_node *after = NULL;
    if (status == 200) status = hc_action_step_take(rq, id, &st, &seen, &after, &d);
    hc_doc_free(&seen);
    if (status == 200) {
        char to[64];
        snprintf(to, sizeof to, "/actions/%s", id);
        hc_redirect(rq, to);
    } else if (status == 404) {
        hc_page_problem(rq, 404, hc_step_refusal(status, &d));
    } else {
        action_page(rq, id, status, hc_step_refusal(status, &d));
    }
    hc_diags_clear(&d);
}
