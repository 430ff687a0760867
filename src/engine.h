/*
** engine.h: what the modules above the engine may see of it: the sandbox
** that holds every loaded pack's code, the limits, and the site register.
*/
#ifndef HC_ENGINE_H
#define HC_ENGINE_H

#include "hazcheck.h"
#include "sandbox.h"

hc_sandbox *hc_engine_sandbox(hc_engine *e);
/* A registered site profile (a mapping) by id, or NULL. */
const hc_node *hc_engine_site(hc_engine *e, const char *id);

#endif
