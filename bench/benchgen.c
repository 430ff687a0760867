/*
** benchgen.c: write N inspections (a YAML stream) for bench/pack.yaml, with a
** deterministic, realistic mix: ~10% failed items, a few n/a and notes.
** usage: benchgen N [rich] > batch.yaml
** "rich": the shape of the field data issue 14 measured (about 2.6 KB an
** inspection): a note on a quarter of the answers, photos on an eighth.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long state = 0x9E3779B97F4A7C15ull;

static unsigned rnd(unsigned n)
{
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((state >> 33) % n);
}

/* The rich batch's own draws, apart from rnd's. */
static unsigned long long extra_state = 0xD1B54A32D192ED03ull;

static unsigned extra(unsigned n)
{
    extra_state = extra_state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((extra_state >> 33) % n);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000;
    int rich = argc > 2 && strcmp(argv[2], "rich") == 0;
    static const char *const notes[] = {
        "除尘器泄爆口朝向人员通道，已要求企业加装导流装置并设置警示标识",
        "现场抽查三处积尘点，砂光机下方积尘明显，企业称每班清扫但无记录",
        "锁气卸灰装置运行正常，检查时企业负责人陪同，整改台账已当场查阅",
        "防爆电气设备铭牌不清，需企业提供合格证及防爆检验报告复印件备查",
    };
    static const char *const controls[] = {"venting", "suppression", "inerting", "none", "isolation"};
    for (long k = 0; k < n; k++) {
        printf("---\ninspection:\n  id: bench-%06ld\n", k);
        printf("  site: {id: \"3701%02ld-%04ld\", name: 某木制品加工有限公司%ld, district: 章丘区, "
               "industry: woodworking, dust: {kind: wood, dry_collection: true, sanders: %u}}\n",
               k % 100, k % 10000, k, rnd(3));
        printf("  checklist: bench\n  date: 2026-%02ld-%02ld\n  inspector: 孟凡辉\nanswers:\n",
               k % 12 + 1, k % 28 + 1);
        for (int i = 1; i <= 30; i++) {
            int bad = rnd(100) < 10;
            printf("  B%02d:", i);
            if (rnd(100) < 3) {
                printf(" {na: 现场无此设备}\n");
                continue;
            }
            switch (i % 6) {
            case 0:
                printf(" {control: %s, in_service: %s", bad ? controls[3 + rnd(2)] : controls[rnd(3)],
                       rnd(20) ? "yes" : "no");
                break;
            case 1:
                printf(" {thickness_mm: %.1f, area_m2: %u", bad ? 1.5 + rnd(50) / 10.0 : rnd(10) / 10.0,
                       rnd(200));
                break;
            case 2:
                printf(" {devices: [%s]", bad ? "none" : rnd(2) ? "rotary_valve" : "double_flap, screw");
                break;
            case 3:
                printf(" {ex_marking: \"%s\", zone: %u", bad ? "Ex tb IIIB T135°C Db" : "Ex ta IIIB T135°C Da",
                       20 + rnd(3));
                break;
            case 4:
                printf(" {records: %s, last_cleaned: 2026-08-%02u", bad ? "否" : "是", 1 + rnd(28));
                break;
            default:
                printf(" {detector: %s, tested_on: 2026-07-%02u", bad ? "detect_only" : "detect_and_extinguish",
                       1 + rnd(28));
            }
            if (rich) {
                /* from a second stream, so the plain batch stays what it was */
                if (extra(4) == 0) printf(", note: \"%s\"", notes[extra(4)]);
                if (extra(8) == 0) printf(", evidence: [IMG_%04u.jpg, IMG_%04u.jpg]", extra(10000), extra(10000));
            }
            printf("}\n");
            if (bad && rnd(2)) printf("  # noted\n");
        }
    }
    return 0;
}
