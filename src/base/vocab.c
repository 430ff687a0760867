/*
** vocab.c: the one vocabulary of hazcheck: every code a program reads (an
** item status, a verdict, an order, an enforcement measure ...) with the
** words people read for it, in Chinese and in English.
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
    {"fail", "不符合", "fail", NULL},
    {"error", "出错", "error", NULL},
    {"unanswered", "未作答", "unanswered", NULL},
    {"pass", "符合", "pass", NULL},
    {"na", "不适用", "n/a", NULL},
};
static const hc_word verdict[] = {      /* hc_verdict */
    {"compliant", "合格", "compliant", NULL},
    {"incomplete", "检查未完成", "incomplete", NULL},
    {"general-hazards", "存在一般事故隐患", "general hazards", NULL},
    {"major-hazard", "存在重大事故隐患", "major hazard", NULL},
};
static const hc_word severity[] = {     /* hc_item_severity */
    {"general", "一般", "general", NULL},
    {"major", "重大", "major", NULL},
};
/* the notice's wording says what must happen before work may resume */
static const hc_word order[] = {        /* hc_order */
    {"rectify", "限期整改", "rectify by the deadline", "限期整改"},
    {"rectify-now", "立即整改", "rectify now", "立即整改"},
    {"suspend-equipment", "停止使用相关设施设备", "stop using the equipment",
     "停止使用相关设施设备，隐患消除并经复查合格后方可恢复使用"},
    {"suspend-operation", "局部或全部停产停业整顿", "suspend operations",
     "局部或全部停产停业整顿，隐患消除并经复查合格后方可恢复生产"},
};
static const hc_word kind[] = {
    {"enforcement", "执法检查", "enforcement inspection", NULL},
    {"self", "企业自查", "self-assessment", NULL},
    {"reinspection", "复查", "re-inspection", NULL},
};
static const hc_word action_state[] = {
    {"open", "待整改", "open", NULL},
    {"rectified", "已整改待复查", "rectified", NULL},
    {"verified", "已验收销号", "verified", NULL},
};
static const hc_word measure[] = {
    {"interview", "约谈", "interview", NULL},
    {"list", "列入黑名单", "list", NULL},
    {"delist", "移出黑名单", "delist", NULL},
    {"penalty", "罚款", "penalty", NULL},
    {"suspend", "责令停产停业", "suspend", NULL},
    {"resume", "恢复生产经营", "resume", NULL},
    {"close-down", "关闭取缔", "close down", NULL},
};
static const hc_word site_state[] = {
    {"operating", "正常生产", "operating", NULL},
    {"suspended", "停产停业", "suspended", NULL},
    {"closed", "已关闭取缔", "closed", NULL},
};
static const hc_word role[] = {
    {"inspector", "检查员", "inspector", NULL},
    {"squad-leader", "中队长", "squad leader", NULL},
    {"enterprise", "企业", "enterprise", NULL},
    {"admin", "管理员", "administrator", NULL},
};
static const hc_word pack_status[] = {  /* hc_pack_status */
    {"draft", "草案", "draft", NULL},
    {"stable", "正式", "stable", NULL},
    {"deprecated", "已废止", "deprecated", NULL},
};
static const hc_word scoring[] = {      /* hc_score_model */
    {"weighted", "加权得分", "weighted", NULL},
    {"flat", "计数得分", "flat", NULL},
    {"absolute", "全部符合方为合格", "absolute", NULL},
    {"deduct", "扣分制", "deduct", NULL},
};
static const hc_word input_type[] = {   /* hc_input_type */
    {"bool", "是/否", "yes/no", NULL},
    {"number", "数值", "number", NULL},
    {"integer", "整数", "whole number", NULL},
    {"text", "文字", "text", NULL},
    {"enum", "单选", "one of", NULL},
    {"set", "多选", "any of", NULL},
    {"date", "日期", "date", NULL},
    {"list", "列表", "list", NULL},
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

const char *hc_vocab_zh(hc_vocab v, const char *code)
{
    const hc_word *w = hc_vocab_word(v, code);
    return w ? w->zh : code;
}

const char *hc_vocab_expected(hc_vocab v, char *buf, size_t len)
{
    size_t n, used = 0;
    const hc_word *w = hc_vocab_words(v, &n);
    if (len) buf[0] = '\0';
    for (size_t i = 0; i < n && used < len; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
        int k = snprintf(buf + used, len - used, "%s%s", sep, w[i].code);
        if (k < 0) break;
        used += (size_t)k;
    }
    return buf;
}
