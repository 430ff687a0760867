/*
** hazcheck_report.h: presentation. Results, checklists and the data the
** store's readers return, written for people (text, pages) and for other
** programs (JSON, CSV). One format enum for every command.
*/
#ifndef HAZCHECK_REPORT_H
#define HAZCHECK_REPORT_H

#include "hazcheck.h"

typedef enum { HC_FMT_TEXT, HC_FMT_JSON, HC_FMT_JSONL, HC_FMT_CSV, HC_FMT_HTML, HC_FMT_MD,
               HC_NFORMATS } hc_format;

/* "text", "json", ... -> the format, or -1. */
int hc_format_parse(const char *name);
const char *hc_format_name(hc_format f);

/* ---------------------------------------------------------------- results */

typedef struct hc_out_opts {
    int color;                    /* ANSI colour (terminal and no NO_COLOR) */
} hc_out_opts;

/* A result for people: grouped by section, failures first. */
void hc_write_text(FILE *f, const hc_result *r, const hc_out_opts *o);

/* ----------------------------------------------------------------- forms */

/* A checklist (or one item) as a printable form: text, Markdown, or HTML
   (A4, boxes to tick or fill). */
int hc_show(FILE *f, const hc_checklist *c, const hc_item *only, hc_format fmt, hc_diags *d);
/* A blank inspection for the checklist, every input with its label, unit and
   allowed values as comments. */
void hc_write_template(FILE *f, const hc_checklist *c, const char *date);

/* check --profile: the time each rule took (hc_engine_profile_report), as a
   table, slowest first. */
int hc_render_profile(FILE *out, const hc_doc *profile, hc_diags *d);

/* The checklists found (hazcheck packs): text or json, each with its validity
   and whether it is in force on 'today'. */
int hc_render_packs(FILE *out, hc_checklist *const *packs, size_t n, const char *today,
                    hc_format fmt, hc_diags *d);

/* ------------------------------------------------------ the store's data */

/*
** Render what a reader of hazcheck_store.h returned. Each takes the formats
** that make sense for it and refuses the others with a diagnostic:
**   sites, site, actions: text, json (actions also csv)
**   figures:              text, json, csv, html (a page with charts)
**   report:               text, json, csv (the findings), html (A4 pages)
*/
int hc_render_sites(FILE *out, const hc_doc *data, hc_format fmt, hc_diags *d);
int hc_render_site(FILE *out, const hc_doc *data, hc_format fmt, hc_diags *d);
int hc_render_actions(FILE *out, const hc_doc *data, hc_format fmt, hc_diags *d);
int hc_render_figures(FILE *out, const hc_doc *data, hc_format fmt, hc_diags *d);
int hc_render_report(FILE *out, const hc_doc *data, hc_format fmt, hc_diags *d);
/* The same, issued in an authority's name with the configured notice numbering
   (cli.md: authority, notice_number; NULL fields: none, year-seq). */
typedef struct hc_paper_opts {
    const char *authority;
    const char *notice_number;        /* {year}, {seq}, {site} */
} hc_paper_opts;
int hc_render_papers(FILE *out, const hc_doc *data, hc_format fmt, const hc_paper_opts *po,
                     hc_diags *d);
/* A page of `serve` (report/web.c): templates/web-NAME.html over 'model'
   inside the layout; the model gains "body". */
int hc_render_web(FILE *out, const char *name, hc_doc *model, hc_diags *d);
/* A file the pages load (web.css, web.js) and its type; NULL for any other
   name. *owned (free it) is set when the file came from $HAZCHECK_TEMPLATES. */
const char *hc_web_asset(const char *name, size_t *len, const char **type, char **owned);
/* The accounts of `serve` (hc_store_users): text, json. */
int hc_render_users(FILE *out, const hc_doc *data, hc_format fmt, hc_diags *d);
/* The visit plan (hc_store_plan): text, json, csv, html (visits per inspector). */
int hc_render_plan(FILE *out, const hc_doc *data, hc_format fmt, hc_diags *d);

#endif
