/* internal.h - what the browser module's files share: one browser process. */
#ifndef OA_BROWSER_INTERNAL_H
#define OA_BROWSER_INTERNAL_H

#include <sys/types.h>

#include "browser/browser.h"
#include "browser/cdp.h"

typedef struct {
    pid_t pid; /* also its process group; 0 when not running */
    cdp conn;
    char *profile; /* the throw-away --user-data-dir */
    int pages;     /* pages rendered by this process */
} oa_browser;

/* Starts chromium (path) with its pipes on fds 3 and 4, in its own process group, dying with
 * the engine; waits for Browser.getVersion. */
oa_status browser_proc_start(const char *path, oa_browser *b, char **why) OA_MUST_CHECK;
/* SIGKILL to its whole process group, reaps it, removes its profile. Safe on a stopped one. */
void browser_proc_kill(oa_browser *b);
/* Memory of every process in its group: their anonymous and shared-memory pages, each shared
 * page counted once (Pss_Anon + Pss_Shmem of /proc/PID/smaps_rollup). */
int64_t browser_proc_rss(const oa_browser *b);

#endif
