/*
** findings.c: results as text for people (JSON for programs is engine/result_json.c).
**
** Text is grouped by section, failures first, each with what an inspector
** writes on the notice: message, legal basis, remedy, order and deadline.
** Columns are aligned by display width, so Chinese text (two cells a
** character) lines up.
*/
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

/* ---------------------------------------------------------------- text */

static const char *const status_color[] = {"\033[1;31m", "\033[35m", "\033[33m", "\033[32m",
                                           "\033[2m"};

/*
** Text from files and the database goes to a terminal: control characters
** and the bidirectional overrides (U+202A-E, U+2066-9, U+200E-F) could fake
** lines or reorder what an inspector reads, so they print as U+FFFD. A
** newline becomes a space, or starts an indented line where 'indent' >= 0.
*/
static void put_text(FILE *f, const char *s, int indent)
{
    const unsigned char *p = (const unsigned char *)s;
    for (; p && *p; p++) {
        if (*p == '\n') {
            if (indent >= 0 && p[1]) fprintf(f, "\n%*s", indent, "");
            else if (indent < 0) fputc(' ', f);
        } else if (*p < 0x20 || *p == 0x7F) {
            fputs("\xEF\xBF\xBD", f);
        } else if (p[0] == 0xE2 && ((p[1] == 0x80 && ((p[2] >= 0xAA && p[2] <= 0xAE) || p[2] == 0x8E || p[2] == 0x8F)) ||
                                    (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9))) {
            fputs("\xEF\xBF\xBD", f);
            p += 2;
        } else {
            fputc(*p, f);
        }
    }
}

static void pad(FILE *f, const char *s, size_t width)
{
    put_text(f, s, -1);
    for (size_t w = hc_display_width(s); w < width; w++) fputc(' ', f);
}

static void field(FILE *f, size_t indent, const char *label, const char *value)
{
    if (value == NULL || *value == '\0') return;
    /* labels are padded by terminal cells, so Chinese ones line up too */
    const char *word = _(label);
    fprintf(f, "%*s%s", (int)indent, "", word);
    for (size_t w = hc_display_width(word); w < 10; w++) fputc(' ', f);
    put_text(f, value, (int)indent + 10);    /* continuation lines stay under the value */
    fputc('\n', f);
}

static int rank(const hc_finding *f)
{
    int r = (int)f->status * 2;
    if (f->status == HC_FAIL && f->item->severity != HC_SEV_MAJOR) r++;
    return r;
}

void hc_write_text(FILE *f, const hc_result *r, const hc_out_opts *o)
{
    const hc_inspection *in = r->in;
    const hc_checklist *c = r->checklist;
    int color = o && o->color;
    const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";

    fputs(bold, f);
    put_text(f, in->site_name ? in->site_name : "?", -1);
    fprintf(f, "%s (", reset);
    put_text(f, in->site_id, -1);
    fprintf(f, ")\n%s ", c->id);
    put_text(f, c->version, -1);
    fprintf(f, " · %s · ", in->date);
    if (in->inspector) {
        put_text(f, in->inspector, -1);
        fputs(" · ", f);
    }
    fprintf(f, "%s · ", hc_vocab_text(HC_VOCAB_KIND, in->kind));
    put_text(f, in->id, -1);
    fputc('\n', f);
    fprintf(f, _("verdict: %s%s%s (%s)\n"),
            color ? status_color[r->verdict >= HC_GENERAL_HAZARDS ? 0 : r->verdict == HC_INCOMPLETE ? 2 : 3] : "",
            hc_verdict_name(r->verdict), reset,
            hc_vocab_text(HC_VOCAB_VERDICT, hc_verdict_name(r->verdict)));
    /* no regulation scores an inspection: the verdict is the finding, the score a reference */
    if (r->passed_mark > 0)
        fprintf(f, _("reference score %g (not a legal finding; pass mark %g reached)\n"), r->score,
                c->pass_mark);
    else if (r->passed_mark == 0)
        fprintf(f, _("reference score %g (not a legal finding; pass mark %g not reached)\n"),
                r->score, c->pass_mark);
    else
        fprintf(f, _("reference score %g (not a legal finding)\n"), r->score);
    fprintf(f, _("pass %zu · fail %zu (major %zu) · na %zu · unanswered %zu · error %zu\n"),
            r->counts[HC_PASS], r->counts[HC_FAIL], r->major_failed, r->counts[HC_NA],
            r->counts[HC_UNANSWERED], r->counts[HC_ERROR_ST]);
    for (size_t i = 0; i < r->nwarnings; i++) {
        fprintf(f, "%s%s%s ", color ? status_color[2] : "", _("warning:"), reset);
        put_text(f, r->warnings[i], -1);
        fputc('\n', f);
    }

    size_t idw = 0;
    for (size_t i = 0; i < r->n; i++) {
        size_t w = hc_display_width(r->findings[i].item->id);
        if (w > idw) idw = w;
    }
    /* sections in order of first appearance; within each, worst first */
    char *done = hc_xcalloc(r->n ? r->n : 1, 1);
    size_t *order = hc_xmalloc((r->n ? r->n : 1) * sizeof *order);
    for (size_t i = 0; i < r->n; i++) {
        if (done[i]) continue;
        const char *sec = r->findings[i].item->section;
        size_t m = 0;
        for (size_t k = i; k < r->n; k++) {
            const char *s2 = r->findings[k].item->section;
            if (done[k] || !((sec == NULL && s2 == NULL) || (sec && s2 && strcmp(sec, s2) == 0)))
                continue;
            done[k] = 1;
            /* stable insertion by rank */
            size_t pos = m;
            while (pos > 0 && rank(&r->findings[order[pos - 1]]) > rank(&r->findings[k])) {
                order[pos] = order[pos - 1];
                pos--;
            }
            order[pos] = k;
            m++;
        }
        fprintf(f, "\n%s== ", bold);
        put_text(f, sec ? sec : "(no section)", -1);
        fprintf(f, " ==%s\n", reset);
        for (size_t k = 0; k < m; k++) {
            const hc_finding *fd = &r->findings[order[k]];
            const hc_item *it = fd->item;
            fprintf(f, "  %s", color ? status_color[fd->status] : "");
            char label[32];          /* the vocabulary's word, as a column label */
            snprintf(label, sizeof label, "%s", hc_vocab_text(HC_VOCAB_STATUS, hc_status_name(fd->status)));
            for (char *p = label; *p; p++) *p = (char)toupper((unsigned char)*p);
            pad(f, label, 10);
            fprintf(f, "%s ", reset);
            pad(f, it->id, idw);
            fputs("  ", f);
            put_text(f, it->title, -1);
            if (fd->status == HC_FAIL && it->severity == HC_SEV_MAJOR)
                fprintf(f, "  %s%s%s", color ? status_color[0] : "", _("[major hazard]"), reset);
            if (it->status == HC_ST_DRAFT) fputs(_("  (draft: wording or threshold unverified)"), f);
            fputc('\n', f);
            size_t ind = 13 + idw;
            if (fd->status == HC_FAIL) {
                field(f, ind, N_("problem"), fd->message);
                hc_buf b = {0};
                for (size_t q = 0; q < it->nbasis; q++)
                    hc_buf_printf(&b, "%s%s", q ? "; " : "", it->basis[q]);
                field(f, ind, N_("basis"), b.data);
                hc_buf_free(&b);
                field(f, ind, N_("remedy"), it->remedy);
                if (it->order != HC_ORDER_RECTIFY) {
                    char tmp[128];
                    snprintf(tmp, sizeof tmp, "%s (%s)", hc_order_name(it->order),
                             hc_vocab_text(HC_VOCAB_ORDER, hc_order_name(it->order)));
                    field(f, ind, N_("order"), tmp);
                }
                field(f, ind, N_("deadline"), fd->deadline);
            } else if (fd->status != HC_PASS) {
                field(f, ind, N_("reason"), fd->message);
            }
            if (fd->status != HC_PASS && fd->status != HC_NA) {
                field(f, ind, N_("note"), fd->answer->note);
                hc_buf b = {0};
                for (size_t q = 0; q < fd->answer->nevidence; q++)
                    hc_buf_printf(&b, "%s%s", q ? ", " : "", fd->answer->evidence[q]);
                field(f, ind, N_("evidence"), b.data);
                hc_buf_free(&b);
            }
        }
    }
    free(done);
    free(order);
}
