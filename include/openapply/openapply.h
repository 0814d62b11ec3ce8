/*
 * openapply/openapply.h - libopenapply, the consumer library of openapply webhooks, in one
 * include: verify (webhook.h), parse (event.h), apply to a local mirror (mirror.h).
 *
 *   #include <openapply/openapply.h>
 *   cc app.c $(pkg-config --cflags --libs openapply)
 *
 * See docs/consumers.md for a walk-through.
 */
#ifndef OPENAPPLY_OPENAPPLY_H
#define OPENAPPLY_OPENAPPLY_H

#include "openapply/event.h"
#include "openapply/mirror.h"
#include "openapply/webhook.h"

#endif
