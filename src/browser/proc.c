/* proc.c - one headless Chromium process: start, kill, measure (see browser.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "browser/internal.h"
#include "util/clock.h"
#include "util/text.h"

/* Flags: headless, no first-run chores, no background traffic of its own, site isolation off
 * so that cross-site frames stay in the page's process (the page's script and guard cover
 * them), WebRTC kept off UDP, a bounded JavaScript heap. */
static const char *const FLAGS[] = {
    "--headless",
    "--remote-debugging-pipe",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--disable-dev-shm-usage",
    "--disable-site-isolation-trials",
    ("--disable-features=IsolateOrigins,site-per-process,Translate,MediaRouter,"
     "OptimizationHints,AutofillServerCommunication"),
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--js-flags=--max-old-space-size=192",
    "--mute-audio",
    "--hide-scrollbars",
    "--window-size=1280,900",
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : 0;
}

static void rm_tree(const char *dir)
{
    if (dir)
        nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

oa_status browser_proc_start(const char *path, oa_browser *b, char **why)
{
    memset(b, 0, sizeof *b);
    b->conn.wfd = b->conn.rfd = -1;
    char eb[128];
    char tmpl[] = "/tmp/openapply-browser-XXXXXX";
    if (!mkdtemp(tmpl)) {
        *why = xasprintf("cannot make a browser profile folder: %s",
                         oa_strerror(errno, eb, sizeof eb));
        return OA_ERR;
    }
    b->profile = xstrdup(tmpl);
    int to_browser[2], from_browser[2];
    if (pipe2(to_browser, O_CLOEXEC) != 0) {
        *why = xasprintf("pipe: %s", oa_strerror(errno, eb, sizeof eb));
        browser_proc_kill(b);
        return OA_ERR;
    }
    if (pipe2(from_browser, O_CLOEXEC) != 0) {
        *why = xasprintf("pipe: %s", oa_strerror(errno, eb, sizeof eb));
        close(to_browser[0]);
        close(to_browser[1]);
        browser_proc_kill(b);
        return OA_ERR;
    }
    char *profile_flag = xasprintf("--user-data-dir=%s", b->profile);
    const char *argv[OA_ARRAY_LEN(FLAGS) + 5];
    size_t n = 0;
    argv[n++] = path;
    for (size_t i = 0; i < OA_ARRAY_LEN(FLAGS); i++)
        argv[n++] = FLAGS[i];
    if (geteuid() == 0)
        argv[n++] = "--no-sandbox"; /* Chromium's sandbox refuses to run as root */
    argv[n++] = profile_flag;
    argv[n++] = "about:blank";
    argv[n] = NULL;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        /* The child: its own group (killed as one), dead when the engine dies. Only
         * async-signal-safe calls from here to exec. */
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        int r = fcntl(to_browser[0], F_DUPFD, 10), w = fcntl(from_browser[1], F_DUPFD, 10);
        if (r < 0 || w < 0 || dup2(r, 3) < 0 || dup2(w, 4) < 0)
            _exit(127);
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, 0);
            dup2(devnull, 1);
            dup2(devnull, 2);
        }
        closefrom(5);
        execv(path, (char *const *)argv);
        _exit(127);
    }
    free(profile_flag);
    close(to_browser[0]);
    close(from_browser[1]);
    if (pid < 0) {
        *why = xasprintf("fork: %s", oa_strerror(errno, eb, sizeof eb));
        close(to_browser[1]);
        close(from_browser[0]);
        browser_proc_kill(b);
        return OA_ERR;
    }
    setpgid(pid, pid); /* also here: whichever runs first */
    b->pid = pid;
    cdp_init(&b->conn, to_browser[1], from_browser[0]);
    json_t *res = NULL;
    char *cwhy = NULL;
    oa_status rc =
        cdp_call(&b->conn, NULL, "Browser.getVersion", NULL, oa_mono_ms() + 20000, &res, &cwhy);
    json_decref(res);
    if (rc != OA_OK) {
        *why = xasprintf("%s did not start: %s", path, cwhy ? cwhy : "?");
        free(cwhy);
        browser_proc_kill(b);
        return OA_ERR;
    }
    return OA_OK;
}

void browser_proc_kill(oa_browser *b)
{
    if (b->pid > 0) {
        kill(-b->pid, SIGKILL);
        kill(b->pid, SIGKILL);
        while (waitpid(b->pid, NULL, 0) < 0 && errno == EINTR)
            ;
        /* Its children were reparented when it died: kill the rest of the group. */
        kill(-b->pid, SIGKILL);
    }
    if (b->conn.wfd >= 0 || b->conn.rfd >= 0 || b->conn.in.data)
        cdp_free(&b->conn);
    rm_tree(b->profile);
    free(b->profile);
    memset(b, 0, sizeof *b);
    b->conn.wfd = b->conn.rfd = -1;
}

int64_t browser_proc_rss(const oa_browser *b)
{
    if (b->pid <= 0)
        return 0;
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    int64_t total = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        char path[300], buf[512];
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        /* pid (comm) state ppid pgrp ...: comm may hold spaces, so start after the last ')'. */
        char *rp = strrchr(buf, ')');
        int ppid = 0, pgrp = 0;
        char state;
        if (!rp || sscanf(rp + 1, " %c %d %d", &state, &ppid, &pgrp) != 3 || pgrp != b->pid)
            continue;
        /* Its own memory: anonymous and shared-memory pages, those shared between its
         * processes counted once (proportional set size). The binary's file pages are left
         * out: they are shared with every other browser and the page cache can drop them. */
        snprintf(path, sizeof path, "/proc/%s/smaps_rollup", e->d_name);
        f = fopen(path, "r");
        if (!f)
            continue;
        char line[256];
        while (fgets(line, sizeof line, f)) {
            long kb = 0;
            if ((strncmp(line, "Pss_Anon:", 9) == 0 && sscanf(line + 9, "%ld", &kb) == 1) ||
                (strncmp(line, "Pss_Shmem:", 10) == 0 && sscanf(line + 10, "%ld", &kb) == 1))
                total += (int64_t)kb * 1024;
        }
        fclose(f);
    }
    closedir(d);
    return total;
}
