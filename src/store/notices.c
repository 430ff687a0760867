/*
** notices.c: rectification notices are numbered per year, per database, in the
** order they are issued: the 3rd notice of 2026 is {year}=2026, {seq}=3 in the
** configured pattern (cli.md: notice_number). A number is given once, when an
** inspection that found hazards is recorded or imported, and never changes, so
** a notice handed over and a reprint years later carry the same number.
** Re-inspections issue no notice (their paper is the re-inspection opinion).
*/
#include "base/base.h"
#include "store/store.h"

int hc_notice_assign(hc_store *s, const char *inspection, hc_diags *d)
{
    hc_stmt *st = hc_store_stmt(
        s,
        "INSERT INTO notices (inspection_id, year, seq)"
        " SELECT i.id, CAST(substr(i.date, 1, 4) AS INTEGER),"
        "  1 + coalesce((SELECT max(n.seq) FROM notices n"
        "                WHERE n.year = CAST(substr(i.date, 1, 4) AS INTEGER)), 0)"
        " FROM inspections i WHERE i.id = ? AND i.kind <> 'reinspection'"
        "  AND i.verdict IN ('general-hazards', 'major-hazard')"
        "  AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.inspection_id = i.id)",
        d);
    if (st == NULL) return -1;
    hc_sql_bind_text(st, 1, inspection);
    if (hc_sql_step(st) != HC_SQL_DONE) return hc_store_error(s, d, "numbering the notice");
    return 0;
}
