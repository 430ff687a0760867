/*
** lang.c: which language people read, and the catalogue that says it.
**
** Every word hazcheck prints for people is written in English in the source,
** marked _("...") (or N_("...") in a static table, translated where it is
** printed), and looked up in the gettext catalogue po/zh_CN.po. Codes that
** programs read (JSON keys and values, exit codes, stored codes) are never
** marked, so they never change with the language.
**
** Why the language is decided here and not by setlocale alone: gettext only
** honours LANGUAGE when LC_MESSAGES names a locale that exists, and a bureau's
** machine often has no zh_CN locale generated. cli.md says Chinese whenever
** LANGUAGE / LC_ALL / LC_MESSAGES / LANG asks for zh, so when the asked-for
** locale is missing, we fall back to C.UTF-8 (always present in glibc) and tell
** gettext the language through LANGUAGE.
**
** Only LC_MESSAGES and LC_CTYPE are set: LC_NUMERIC would turn the decimal
** point of JSON numbers into a comma in some locales; LC_CTYPE lets libedit
** read Chinese input.
*/
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>

#include "base/base.h"

#define DOMAIN "hazcheck"

static int chinese;
static int we_set_language;     /* LANGUAGE=zh_CN is ours, not the user's: undo it for English */

/* The first non-empty of the variables cli.md names, in gettext's order;
   LANGUAGE may list several languages (zh_CN:en): the first one counts. */
static const char *asked_language(void)
{
    static const char *const vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) return v;
    }
    return "";
}

int hc_language_init(const char *localedir)
{
    if (we_set_language) {
        const char *now = getenv("LANGUAGE");
        if (now && strcmp(now, "zh_CN") == 0) unsetenv("LANGUAGE");   /* still ours */
        we_set_language = 0;
    }
    const char *asked = asked_language();
    chinese = asked[0] == 'z' && asked[1] == 'h';
    if (setlocale(LC_CTYPE, "") == NULL) setlocale(LC_CTYPE, "C.UTF-8");
    if (!chinese) {
        /* English is the source text: no catalogue is read at all */
        setlocale(LC_MESSAGES, "C");
        return 0;
    }
    if (setlocale(LC_MESSAGES, "") == NULL || strcmp(setlocale(LC_MESSAGES, NULL), "C") == 0) {
        setlocale(LC_MESSAGES, "C.UTF-8");
        const char *language = getenv("LANGUAGE");
        if (language == NULL || strncmp(language, "zh", 2) != 0) {
            setenv("LANGUAGE", "zh_CN", 1);
            we_set_language = 1;
        }
    }
    if (localedir) bindtextdomain(DOMAIN, localedir);
    bind_textdomain_codeset(DOMAIN, "UTF-8");
    return 1;
}

int hc_language_zh(void) { return chinese; }

const char *hc_tr(const char *msgid)
{
    if (!chinese || msgid == NULL || *msgid == '\0') return msgid;
    return dgettext(DOMAIN, msgid);
}

const char *hc_trn(const char *one, const char *many, unsigned long n)
{
    if (!chinese) return n == 1 ? one : many;
    return dngettext(DOMAIN, one, many, n);
}
