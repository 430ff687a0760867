/*
** yamlfloor.c: the benchmark's floor: libyaml parsing the same stream and
** doing nothing else. hazcheck cannot be faster than this.
*/
#include <stdio.h>
#include <yaml.h>

int main(int argc, char **argv)
{
    FILE *f = argc > 1 ? fopen(argv[1], "rb") : stdin;
    if (f == NULL) return 1;
    yaml_parser_t p;
    yaml_event_t e;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_file(&p, f);
    long docs = 0;
    for (;;) {
        if (!yaml_parser_parse(&p, &e)) {
            fprintf(stderr, "parse error\n");
            return 1;
        }
        int t = e.type;
        if (t == YAML_DOCUMENT_START_EVENT) docs++;
        yaml_event_delete(&e);
        if (t == YAML_STREAM_END_EVENT) break;
    }
    yaml_parser_delete(&p);
    printf("%ld\n", docs);
    return 0;
}
