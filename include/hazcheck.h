/*
** hazcheck.h: the public face of libhazcheck.
**
** Data flows one way: files -> document tree (doc) -> checklist model and
** typed inspection -> evaluation in the Lua sandbox -> result -> output.
** The structs below are read-only views that the library fills; callers
** never allocate or free their parts, only the handles that own them
** (hc_engine, hc_checklist, hc_inspection, hc_result).
**
** Lifetimes nest: an engine owns its checklists; an inspection points into
** its checklist; a result points into its inspection and checklist. Free a
** result before its inspection, and both before the engine.
**
** Errors travel as return codes (0 ok, -1 failure) plus diagnostics
** appended to an hc_diags list, each with file, line, column and message.
** The store (hazcheck_store.h) and presentation (hazcheck_report.h) have
** headers of their own.
*/
#ifndef HAZCHECK_H
#define HAZCHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define HC_VERSION "0.1.0"
#define HC_FORMAT_VERSION 1

/* ---------------------------------------------------------------- limits */

/* Resource limits; hc_limits_default() gives the documented defaults. */
typedef struct hc_limits {
    size_t max_depth;         /* nesting of mappings and sequences */
    size_t max_nodes;         /* nodes in one document, aliases counted as copies */
    size_t max_scalar;        /* bytes in one scalar */
    size_t max_file;          /* bytes in one checklist or module file */
    size_t lua_instructions;  /* per rule call, pcall included */
    size_t lua_memory;        /* bytes for the whole Lua state */
    unsigned lua_millis;      /* wall time per rule call */
    unsigned inspection_millis; /* wall time for all the rules of one inspection */
} hc_limits;

void hc_limits_default(hc_limits *l);

/* ------------------------------------------------------------ diagnostics */

typedef enum { HC_ERROR, HC_WARNING } hc_severity_level;

typedef struct hc_diag {
    hc_severity_level level;
    char *file;               /* may be NULL */
    unsigned line, col;       /* 1-based; 0 = unknown */
    char *msg;
} hc_diag;

typedef struct hc_diags {
    hc_diag *v;
    size_t n, cap;
    size_t errors, warnings;
} hc_diags;

void hc_diags_add(hc_diags *d, hc_severity_level level, const char *file,
                  unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Print each as "file:line:col: [warning: ]msg" and drop them. */
void hc_diags_print(hc_diags *d, FILE *f);
void hc_diags_clear(hc_diags *d);

/* -------------------------------------------------------------- language */

/* Choose the language people read from LANGUAGE / LC_ALL / LC_MESSAGES / LANG
   (Chinese when the first set one starts with "zh", else English) and find the
   catalogue under 'localedir' (<dir>/zh_CN/LC_MESSAGES/hazcheck.mo). Call once,
   before any other hc_ function. Returns 1 for Chinese, 0 for English. */
int hc_language_init(const char *localedir);
int hc_language_zh(void);

/* ------------------------------------------------------------ vocabulary */

/* Every code programs read, with the words people read (src/base/vocab.c). */
typedef enum {
    HC_VOCAB_STATUS, HC_VOCAB_VERDICT, HC_VOCAB_SEVERITY, HC_VOCAB_ORDER, HC_VOCAB_KIND,
    HC_VOCAB_ACTION_STATE, HC_VOCAB_MEASURE, HC_VOCAB_SITE_STATE, HC_VOCAB_ROLE,
    HC_VOCAB_PACK_STATUS, HC_VOCAB_SCORING, HC_VOCAB_INPUT_TYPE, HC_NVOCAB
} hc_vocab;

/* The roles of cli.md "Serving many users", in the order of HC_VOCAB_ROLE. */
typedef enum { HC_ROLE_ADMIN, HC_ROLE_LEADER, HC_ROLE_INSPECTOR, HC_ROLE_ENTERPRISE, HC_NROLES } hc_role;

typedef struct hc_word {
    const char *code;             /* stored and exported; never changes */
    const char *word;             /* for people: English, translated by hc_vocab_text */
    const char *notice;           /* the rectification notice's wording, or NULL */
} hc_word;

const hc_word *hc_vocab_words(hc_vocab v, size_t *n);
/* The row of 'code' (its enum value where an enum exists), or -1. */
int hc_vocab_find(hc_vocab v, const char *code);
const hc_word *hc_vocab_word(hc_vocab v, const char *code);   /* NULL when unknown */
const char *hc_vocab_code(hc_vocab v, int index);             /* "?" out of range */
/* The word for 'code' in the reader's language; the code itself when it is
   not in the list. */
const char *hc_vocab_text(hc_vocab v, const char *code);
/* The notice's wording for an order code in the reader's language (the word
   when the row has no notice wording). */
const char *hc_vocab_notice(hc_vocab v, const char *code);
/* "a, b or c": the codes, for "expected ..." in messages. */
const char *hc_vocab_expected(hc_vocab v, char *buf, size_t len);

/* ------------------------------------------------------- document tree */

typedef enum { HC_SCALAR, HC_SEQ, HC_MAP } hc_node_kind;

typedef struct hc_node {
    hc_node_kind kind;
    unsigned char quoted;     /* scalar was quoted (always a string) */
    unsigned char block;      /* scalar was a literal or folded block */
    unsigned line, col;       /* 1-based position of the node */
    size_t len;               /* scalar: bytes; seq: items; map: pairs */
    char *str;                /* scalar text, NUL-terminated (may hold NULs) */
    struct hc_node **kids;    /* seq: items; map: key0, value0, key1, ... */
    size_t weight;            /* nodes in this subtree, aliases expanded */
} hc_node;

typedef struct hc_doc hc_doc;

const hc_node *hc_doc_root(const hc_doc *d);
const char *hc_doc_path(const hc_doc *d);
void hc_doc_free(hc_doc **d);

/* Value of 'key' in mapping 'map', or NULL. */
const hc_node *hc_map_get(const hc_node *map, const char *key);

/* Untyped scalar resolution, YAML 1.2 core schema (decimal numbers only). */
typedef enum { HC_SC_NULL, HC_SC_BOOL, HC_SC_INT, HC_SC_FLOAT, HC_SC_STRING } hc_scalar_type;
hc_scalar_type hc_scalar_resolve(const hc_node *n, int *b, int64_t *i, double *x);

/* A stream of documents from one file, read one at a time. */
typedef struct hc_reader hc_reader;

/* path "-" reads standard input. Returns NULL and a diagnostic on failure. */
hc_reader *hc_reader_open(const char *path, const hc_limits *lim, hc_diags *d);
/* Same, over a caller-owned buffer that must outlive the reader. */
hc_reader *hc_reader_open_mem(const char *name, const char *buf, size_t len,
                              const hc_limits *lim, hc_diags *d);
/* Same, over a piece of a file that begins at the start of 'line' (1-based), at
   byte 'offset' of the file: positions in messages and nodes are the file's. */
hc_reader *hc_reader_open_piece(const char *name, const char *buf, size_t len, unsigned line,
                                size_t offset, const hc_limits *lim, hc_diags *d);
/* Same, over a caller-owned open file read from where it stands; 'name' is
   what messages call it. The file stays open after hc_reader_close. */
hc_reader *hc_reader_open_stream(const char *name, FILE *f, const hc_limits *lim, hc_diags *d);
/* 1: *out is the next document; 0: end of stream; -1: error (stream ends). */
int hc_reader_next(hc_reader *r, hc_doc **out, hc_diags *d);
void hc_reader_close(hc_reader **r);

/* Load a file that must hold exactly one document. */
hc_doc *hc_doc_load_file(const char *path, const hc_limits *lim, hc_diags *d);

/* ----------------------------------------------------------- checklists */

typedef enum { HC_ST_DRAFT, HC_ST_STABLE, HC_ST_DEPRECATED } hc_pack_status;
typedef enum { HC_SEV_GENERAL, HC_SEV_MAJOR } hc_item_severity;
typedef enum { HC_SCORE_WEIGHTED, HC_SCORE_FLAT, HC_SCORE_ABSOLUTE, HC_SCORE_DEDUCT } hc_score_model;
typedef enum {
    HC_ORDER_RECTIFY, HC_ORDER_RECTIFY_NOW, HC_ORDER_SUSPEND_EQUIPMENT, HC_ORDER_SUSPEND_OPERATION
} hc_order;
typedef enum {
    HC_IN_BOOL, HC_IN_NUMBER, HC_IN_INTEGER, HC_IN_TEXT, HC_IN_ENUM, HC_IN_SET,
    HC_IN_DATE, HC_IN_LIST
} hc_input_type;

/* Item status; the order is the display order of text output. */
typedef enum { HC_FAIL, HC_ERROR_ST, HC_UNANSWERED, HC_PASS, HC_NA, HC_NSTATUS } hc_status;

typedef struct hc_input {
    const char *name, *label, *unit;
    hc_input_type type;
    int required;
    int has_min, has_max;
    double min, max;
    const char **values;          /* enum and set: the codes rules see */
    const char **labels;          /* the words people see, per value (NULL: none at all, or
                                     a NULL entry: that value has none) */
    size_t nvalues;
    struct hc_input *fields;      /* list */
    size_t nfields;
    const hc_node *node;
} hc_input;

typedef struct hc_test {
    const char *name;
    const hc_node *obs, *site, *answers;   /* may be NULL */
    const char *date;
    hc_status expect;
    const char *message;                   /* substring, may be NULL */
    const hc_node *node;
} hc_test;

typedef struct hc_code {
    const char *src;              /* NULL when absent */
    int ref;                      /* compiled function in the sandbox */
    const hc_node *node;
    int *lines;                   /* executable Lua lines (= YAML lines) */
    size_t nlines;
} hc_code;

typedef struct hc_item {
    const char *id, *title, *section, *message, *remedy;
    const char *notes;            /* for reviewers: what is unverified */
    const char *applies_text;     /* the applies condition in words, for people */
    hc_pack_status status;
    const char **tags;
    size_t ntags;
    hc_item_severity severity;
    double weight;
    const char **basis;
    size_t nbasis;
    hc_code applies;
    hc_code code;                 /* check or rule */
    int is_rule;                  /* code is a 'rule' chunk, not a 'check' */
    hc_input *inputs;
    size_t ninputs;
    int deadline_days;            /* -1: from the pack's defaults */
    hc_order order;
    hc_test *tests;
    size_t ntests;
    const hc_node *node;
} hc_item;

typedef struct hc_source { const char *code, *title; } hc_source;

typedef struct hc_checklist {
    char *path;
    char sha256[65];
    const char *id, *version, *title, *domain, *lang, *notes, *applies_text;
    const char *valid_from, *valid_until;   /* dates, or NULL: open at that end */
    const char *superseded_by;    /* what replaces the pack, or NULL */
    hc_pack_status status;
    hc_source *sources;
    size_t nsources;
    hc_code applies;
    hc_score_model model;
    int has_pass_mark;
    double pass_mark, total;
    hc_item_severity default_severity;
    double default_weight;
    int deadline_general, deadline_major;
    hc_item *items;
    size_t nitems;
    size_t *by_id;                /* item indices sorted by id */
    hc_doc *doc;                  /* owns every string above */
    struct hc_pack_json *json;    /* each item's fixed fields as JSON, made by the engine that loads it */
} hc_checklist;

/* Lint across packs: ids must be unique among those loaded together (an
   inspection names its pack by id). 0, or -1 with an error per repeat. */
int hc_checklists_unique(struct hc_checklist *const *packs, size_t n, hc_diags *d);

/* 1 if the pack is in force on 'date' (YYYY-MM-DD), per its 'valid'. */
int hc_checklist_in_force(const hc_checklist *c, const char *date);

/* Index of the item with this id, or -1. */
long hc_checklist_find(const hc_checklist *c, const char *id);

const char *hc_status_name(hc_status s);
const char *hc_order_name(hc_order o);
const char *hc_severity_name(hc_item_severity s);
const char *hc_input_type_name(hc_input_type t);
/* What people are shown for value i of an input: its label, else its code. */
const char *hc_input_value_label(const hc_input *in, size_t i);
/* A basis ("MEM10-2023 第十一条(三)") with its source's full title and the
   article as Chinese legal texts cite it (engine/basis.c); written to out. */
char *hc_basis_text(const hc_source *sources, size_t nsources, const char *basis, char *out,
                    size_t n);

/* --------------------------------------------------------------- engine */

typedef struct hc_engine hc_engine;

typedef struct hc_engine_config {
    const char **pack_dirs;       /* searched in order */
    size_t npack_dirs;
    const char **rule_dirs;
    size_t nrule_dirs;
    hc_limits limits;
} hc_engine_config;

hc_engine *hc_engine_new(const hc_engine_config *cfg, hc_diags *d);
void hc_engine_free(hc_engine **e);

/*
** Load a checklist by path or by id ("dust-explosion" or "dust-explosion@2023.1").
** The engine owns the result and returns the same one on later calls.
** 'lint' adds warnings (items without tests) that a plain load does not.
*/
hc_checklist *hc_engine_checklist(hc_engine *e, const char *ref, hc_diags *d);
hc_checklist *hc_engine_load_path(hc_engine *e, const char *path, int lint, hc_diags *d);

const hc_limits *hc_engine_limits(const hc_engine *e);

/*
** check --profile: time every rule, check and applies from now on (on = 1),
** time in the modules they call included. hc_engine_profile_report: what
** was timed so far, slowest in total first, as {rules: [{checklist, version,
** item (null for the pack's own applies), part (rule, check, applies), calls,
** total_ms, mean_us, max_us}]}, over n engines (a batch's threads): a rule's
** calls and times added up, its max the largest.
*/
void hc_engine_profile(hc_engine *e, int on);
hc_doc *hc_engine_profile_report(hc_engine *const *e, size_t n);

/*
** Where site ids not registered with hc_engine_add_sites are looked up (the
** site register of a store). 1: *out is a document whose root is the profile
** mapping (the engine owns it); 0: no such site; -1: the register could not
** be read (reported in d), which is never taken for "no such site".
*/
typedef int (*hc_site_lookup)(void *ud, const char *id, hc_doc **out, hc_diags *d);
void hc_engine_set_site_lookup(hc_engine *e, hc_site_lookup fn, void *ud);

/* Register the site profiles in a file (one "site:" document or a stream). */
int hc_engine_add_sites(hc_engine *e, const char *path, hc_diags *d);

/*
** The one rule for site profiles (formats.md section 2): the mapping under
** 'site:', or the root itself when it is a mapping with an 'id'. NULL, with
** an error at path:line:col, when there is none or it has no 'id'; a missing
** 'name' is a warning. hc_site_check applies the same rule to a mapping.
*/
const hc_node *hc_site_profile(const hc_node *root, const char *path, hc_diags *d);
int hc_site_check(const hc_node *profile, const char *path, hc_diags *d);

/* Every pack file in the pack directories, sorted, deduplicated by id. The
   caller frees the array (free), not the packs (the engine's). */
int hc_engine_list_packs(hc_engine *e, hc_checklist ***out, size_t *n, hc_diags *d);

/* --------------------------------------------------------- typed values */

typedef enum {
    HC_V_NONE, HC_V_BOOL, HC_V_NUM, HC_V_INT, HC_V_STR, HC_V_SET, HC_V_LIST, HC_V_MAP
} hc_value_kind;

/* A typed answer. SET and LIST hold 'len' items; MAP holds 'len' named values. */
typedef struct hc_value {
    hc_value_kind kind;
    size_t len;
    union {
        int b;
        double num;
        int64_t i;
        const char *s;
        struct hc_value *items;
    } u;
    const char **keys;            /* MAP: the names */
} hc_value;

/* ------------------------------------------------------------ inspections */

typedef struct hc_answer {
    int present;                  /* the inspection has an entry for the item */
    int invalid;                  /* some value did not fit: status error */
    const char *error;            /* the first such problem, as file:line:col: msg */
    const char *reason;           /* the same without its place and item: "'x'; expected ..." */
    const char *na;               /* the inspector's reason for n/a, or NULL */
    hc_value obs;                 /* MAP of the answered inputs */
    const char *note;
    const char **evidence;
    size_t nevidence;
} hc_answer;

typedef struct hc_inspection {
    const char *id, *date, *inspector, *kind, *checklist_ref;
    const char *site_id, *site_name;
    const hc_node *site;          /* the profile mapping */
    const hc_checklist *checklist;
    hc_answer *answers;           /* one per checklist item */
    size_t unknown_items;         /* answers for items the checklist lacks */
    const char *path;
    unsigned line;
    hc_doc *doc;
    struct hc_arena *arena;
} hc_inspection;

/*
** Read an inspection document and type its answers against its checklist,
** found through the engine. Returns NULL (with diagnostics) when the whole
** document is unusable; answer problems are diagnostics plus 'invalid' items.
** Takes ownership of 'doc' in every case.
*/
hc_inspection *hc_inspection_load(hc_engine *e, hc_doc *doc, hc_diags *d);
void hc_inspection_free(hc_inspection **in);

/* ---------------------------------------------------------------- results */

typedef enum { HC_COMPLIANT, HC_INCOMPLETE, HC_GENERAL_HAZARDS, HC_MAJOR_HAZARD } hc_verdict;

typedef struct hc_finding {
    const hc_item *item;
    const hc_answer *answer;
    hc_status status;
    const char *message;          /* NULL for a plain pass */
    char deadline[11];            /* failed items: YYYY-MM-DD, else "" */
} hc_finding;

typedef struct hc_result {
    const hc_inspection *in;
    const hc_checklist *checklist;
    hc_finding *findings;         /* checklist order */
    size_t n;
    size_t counts[HC_NSTATUS];
    size_t major_failed;
    double score;
    int passed_mark;              /* -1 when the pack has no pass mark */
    hc_verdict verdict;
    const char **warnings;        /* for people, in the pack's language (formats.md section 4) */
    size_t nwarnings;
    int out_of_force;             /* the inspection's date is outside the pack's validity */
    struct hc_arena *arena;
} hc_result;

hc_result *hc_evaluate(hc_engine *e, const hc_inspection *in);
void hc_result_free(hc_result **r);

const char *hc_verdict_name(hc_verdict v);

/* A result as JSON (formats.md section 4): what programs read and the store keeps. */
void hc_write_json(FILE *f, const hc_result *r, int pretty);
/* The same text appended to a buffer (base.h's hc_buf). */
struct hc_buf;
void hc_result_json(struct hc_buf *out, const hc_result *r, int pretty);
/* A document subtree as JSON, scalars typed by the YAML 1.2 core schema. */
void hc_write_json_node(FILE *f, const hc_node *n);
/* s as a JSON string literal (NULL: null). */
void hc_write_json_string(FILE *f, const char *s);

/* --------------------------------------------------------------- batches */

/*
** A batch of inspection files ("-": standard input): every document read,
** loaded and evaluated, and handed to the caller in input order. With jobs > 1,
** on that many threads, each with its own engine from 'engines' (made and freed
** by the caller, set up as 'e' is); the output is the same as on one thread.
*/
typedef struct hc_batch_config {
    unsigned jobs;
    hc_engine *const *engines;
    /* on the evaluating thread: text to deliver with the result (may be NULL) */
    void (*render)(void *ud, const hc_result *r, struct hc_buf *out);
    /* on the calling thread, in input order */
    void (*deliver)(void *ud, const hc_result *r, const char *text, size_t len);
    /* messages about a file or a document, in their place, on the calling thread */
    void (*report)(void *ud, hc_diags *d);
    void *ud;
} hc_batch_config;

/* How many files and documents could not be read or loaded (each reported). */
size_t hc_batch_run(hc_engine *e, const char *const *files, size_t nfiles,
                    const hc_batch_config *cfg);

/* ------------------------------------------------------------ rule tests */

typedef struct hc_test_opts {
    int coverage;                 /* report outcome and line coverage per item */
    double min_coverage;          /* percent; < 0: no minimum */
    FILE *junit;                  /* JUnit XML goes here when not NULL */
    int verbose;                  /* list passing tests too */
} hc_test_opts;

typedef struct hc_test_summary {
    size_t passed, failed;
    size_t items, items_both;     /* items; items seen both pass and fail */
    size_t lines, lines_hit;      /* executable Lua lines; lines run */
} hc_test_summary;

/*
** Run every item test of the packs, printing failures (and coverage) to
** 'out'. Returns 0 when all passed and coverage is above the minimum.
*/
int hc_run_tests(hc_engine *e, hc_checklist *const *packs, size_t n, const hc_test_opts *o,
                 FILE *out, hc_test_summary *sum);

/* -------------------------------------------------------------- interview */

/*
** The questions of an inspection taken one by one (`hazcheck inspect`):
** whether each item applies and whether an answer fits, decided exactly as
** evaluation decides them. Begin with the site; end when done.
*/
typedef struct hc_interview hc_interview;
hc_interview *hc_interview_begin(hc_engine *e, const hc_checklist *c, const hc_node *site,
                                 const char *date, const char *inspector, hc_diags *d);
void hc_interview_end(hc_interview **iv);
/* 1 ask item idx; 0 it does not apply and -1 its applies failed, with *why. */
int hc_interview_applies(hc_interview *iv, size_t idx, const char **why);
/* 0 when 'answers' (a mapping of the item's inputs) fits its declarations, else
   -1 with the reason in why (no file position: nobody typed a file). */
int hc_interview_check(hc_interview *iv, size_t idx, const hc_node *answers, char *why,
                       size_t whylen);

/* ------------------------------------------------------------------ dates */

/* Parse a valid calendar date YYYY-MM-DD into days since 1970-01-01. */
int hc_date_parse(const char *s, size_t len, long *days);
void hc_date_format(long days, char out[11]);
/* A stored UTC time (2026-09-10T02:00:00Z) as the reader's local time
   (TZ), "2026-09-10 10:00"; any other text is copied (cut to 19 bytes). */
void hc_time_local(const char *utc, char out[20]);

#endif
