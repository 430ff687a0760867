/*
** vocab.c: the one vocabulary of hazcheck: every code a program reads (an
** item status, a verdict, an order, an enforcement measure ...) with the
** words people read for it, in English here and in the reader's language
** through the catalogue (hc_vocab_text).
**
** The terminal, the printed pages, CSV and the messages all take their words
** from here, so the same code can never be worded two ways. Codes never
** change (they are stored, exported and read by programs); words may. The
** rows of each list are in the order of the matching enum in hazcheck.h, so
** an enum value is its row (hc_status_name(HC_FAIL) is row 0 of STATUS).
*/
#include "base/base.h"

typedef struct list {
    const hc_word *words;
    size_t n;
} list;

#define LIST(a) {a, sizeof(a) / sizeof(a)[0]}

static const hc_word status[] = {       /* hc_status */
    {"fail", N_("fail"), NULL},
    {"error", N_("error"), NULL},
    {"unanswered", N_("unanswered"), NULL},
    {"pass", N_("pass"), NULL},
    {"na", N_("n/a"), NULL},
};
static const hc_word verdict[] = {      /* hc_verdict */
    {"compliant", N_("compliant"), NULL},
    {"incomplete", N_("incomplete"), NULL},
    {"general-hazards", N_("general hazards"), NULL},
    {"major-hazard", N_("major hazard"), NULL},
};
static const hc_word severity[] = {     /* hc_item_severity */
    {"general", N_("general"), NULL},
    {"major", N_("major"), NULL},
};
/* the notice's wording says what must happen before work may resume */
static const hc_word order[] = {        /* hc_order */
    {"rectify", N_("rectify by the deadline"), NULL},
    {"rectify-now", N_("rectify now"), NULL},
    {"suspend-equipment", N_("stop using the equipment"), 
     N_("stop using the equipment; it may be used again only after the hazard is removed "
        "and a re-inspection finds it so")},
    {"suspend-operation", N_("suspend operations"), 
     N_("suspend operations in part or in whole; production may resume only after the "
        "hazard is removed and a re-inspection finds it so")},
};
static const hc_word kind[] = {
    {"enforcement", N_("enforcement inspection"), NULL},
    {"self", N_("self-assessment"), NULL},
    {"reinspection", N_("re-inspection"), NULL},
};
static const hc_word action_state[] = {
    {"open", N_("awaiting rectification"), NULL},
    {"rectified", N_("rectified, awaiting verification"), NULL},
    {"verified", N_("verified"), NULL},
};
static const hc_word measure[] = {
    {"interview", N_("interview"), NULL},
    {"list", N_("blacklist"), NULL},
    {"delist", N_("remove from blacklist"), NULL},
    {"penalty", N_("fine"), NULL},
    {"suspend", N_("order to suspend"), NULL},
    {"resume", N_("allow to resume"), NULL},
    {"close-down", N_("close down"), NULL},
};
static const hc_word site_state[] = {
    {"operating", N_("operating"), NULL},
    {"suspended", N_("suspended"), NULL},
    {"closed", N_("closed"), NULL},
};
static const hc_word role[] = {         /* hc_role; the codes of cli.md "Serving many users" */
    {"admin", N_("administrator"), NULL},
    {"leader", N_("squad leader"), NULL},
    {"inspector", N_("inspector"), NULL},
    {"enterprise", N_("enterprise"), NULL},
};
static const hc_word pack_status[] = {  /* hc_pack_status */
    {"draft", N_("draft"), NULL},
    {"stable", N_("stable"), NULL},
    {"deprecated", N_("deprecated"), NULL},
};
static const hc_word scoring[] = {      /* hc_score_model */
    {"weighted", N_("weighted score"), NULL},
    {"flat", N_("item count score"), NULL},
    {"absolute", N_("compliant only if every item passes"), NULL},
    {"deduct", N_("deduction"), NULL},
};
static const hc_word input_type[] = {   /* hc_input_type */
    {"bool", N_("yes/no"), NULL},
    {"number", N_("number"), NULL},
    {"integer", N_("whole number"), NULL},
    {"text", N_("text"), NULL},
    {"enum", N_("one of"), NULL},
    {"set", N_("any of"), NULL},
    {"date", N_("date"), NULL},
    {"list", N_("list of rows"), NULL},
};

static const list lists[HC_NVOCAB] = {
    [HC_VOCAB_STATUS] = LIST(status),
    [HC_VOCAB_VERDICT] = LIST(verdict),
    [HC_VOCAB_SEVERITY] = LIST(severity),
    [HC_VOCAB_ORDER] = LIST(order),
    [HC_VOCAB_KIND] = LIST(kind),
    [HC_VOCAB_ACTION_STATE] = LIST(action_state),
    [HC_VOCAB_MEASURE] = LIST(measure),
    [HC_VOCAB_SITE_STATE] = LIST(site_state),
    [HC_VOCAB_ROLE] = LIST(role),
    [HC_VOCAB_PACK_STATUS] = LIST(pack_status),
    [HC_VOCAB_SCORING] = LIST(scoring),
    [HC_VOCAB_INPUT_TYPE] = LIST(input_type),
};

/* The enums of hazcheck.h index these lists: they must agree in length. */
_Static_assert(sizeof status / sizeof status[0] == HC_NSTATUS, "status words");
_Static_assert(sizeof verdict / sizeof verdict[0] == HC_MAJOR_HAZARD + 1, "verdict words");
_Static_assert(sizeof order / sizeof order[0] == HC_ORDER_SUSPEND_OPERATION + 1, "order words");
_Static_assert(sizeof input_type / sizeof input_type[0] == HC_IN_LIST + 1, "input type words");

const hc_word *hc_vocab_words(hc_vocab v, size_t *n)
{
    if ((unsigned)v >= HC_NVOCAB) {
        *n = 0;
        return NULL;
    }
    *n = lists[v].n;
    return lists[v].words;
}

int hc_vocab_find(hc_vocab v, const char *code)
{
    size_t n;
    const hc_word *w = hc_vocab_words(v, &n);
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(w[i].code, code) == 0) return (int)i;
    return -1;
}

const hc_word *hc_vocab_word(hc_vocab v, const char *code)
{
    int i = hc_vocab_find(v, code);
    return i < 0 ? NULL : &lists[v].words[i];
}

const char *hc_vocab_code(hc_vocab v, int index)
{
    size_t n;
    const hc_word *w = hc_vocab_words(v, &n);
    return index >= 0 && (size_t)index < n ? w[index].code : "?";
}

const char *hc_vocab_text(hc_vocab v, const char *code)
{
    const hc_word *w = hc_vocab_word(v, code);
    return w ? _(w->word) : code;
}

const char *hc_vocab_notice(hc_vocab v, const char *code)
{
    const hc_word *w = hc_vocab_word(v, code);
    return w == NULL ? code : _(w->notice ? w->notice : w->word);
}

const char *hc_vocab_expected(hc_vocab v, char *buf, size_t len)
{
    size_t n, used = 0;
    const hc_word *w = hc_vocab_words(v, &n);
    if (len) buf[0] = '\0';
    for (size_t i = 0; i < n && used < len; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? _(" or ") : _(", ");
        int k = snprintf(buf + used, len - used, "%s%s", sep, w[i].code);
        if (k < 0) break;
        used += (size_t)k;
    }
    return buf;
}
