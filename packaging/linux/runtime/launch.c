// Launching AppRun with the environment an AppImage promises it, by exec or as a supervised child.
#include "launch.h"

#include "extract.h"
#include "tempdir.h"

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const int kForwardedSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
enum { kForwardedCount = sizeof kForwardedSignals / sizeof kForwardedSignals[0] };

static volatile sig_atomic_t g_child = 0;

int env_flag(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

// `dir`/AppRun, checked: it exists and is an executable file.
static int find_apprun(const char *dir, char *apprun, size_t len)
{
    if ((size_t)snprintf(apprun, len, "%s/AppRun", dir) >= len) {
        warnx("%s/AppRun: path too long", dir);
        return -1;
    }
    struct stat st;
    if (stat(apprun, &st) != 0) {
        warnx("the AppImage has no AppRun at its root (%s: %s)", apprun, strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode) || access(apprun, X_OK) != 0) {
        warnx("the AppImage's AppRun is not an executable file (%s)", apprun);
        return -1;
    }
    return 0;
}

// Points the environment at this AppImage; AppRun scripts find their files through APPDIR.
static int set_environment(const appimage *ai, const char *appdir, const char *argv0)
{
    char cwd[PATH_MAX];
    return setenv("APPIMAGE", ai->path, 1) | setenv("APPDIR", appdir, 1) | setenv("ARGV0", argv0, 1) |
           setenv("OWD", getcwd(cwd, sizeof cwd) ? cwd : "", 1);
}

static void exec_prepared(const char *apprun, char *const args[])
{
    size_t n = 0;
    while (args[n])
        ++n;
    char **argv = calloc(n + 2, sizeof *argv);
    if (!argv) {
        warnx("out of memory");
        return;
    }
    argv[0] = (char *)apprun;
    memcpy(argv + 1, args, n * sizeof *argv);
    execv(apprun, argv);
    warn("%s", apprun);
    free(argv);
}

void exec_apprun(const appimage *ai, const char *appdir, const char *argv0, char *const args[])
{
    char apprun[PATH_MAX];
    if (find_apprun(appdir, apprun, sizeof apprun) != 0)
        return;
    if (set_environment(ai, appdir, argv0) != 0) {
        warn("setenv");
        return;
    }
    exec_prepared(apprun, args);
}

// Signals sent to the runtime by a process (kill, sigqueue: si_code <= 0) go on to the app. Those
// the kernel sends for a terminal (Ctrl-C: SI_KERNEL) already reach the app, which is in the same
// foreground process group; passing them on would deliver them twice.
static void forward_signal(int sig, siginfo_t *info, void *context)
{
    (void)context;
    if (g_child > 0 && info->si_code <= 0)
        kill((pid_t)g_child, sig);
}

static int run_child(const appimage *ai, const char *dir, const char *argv0, char *const args[])
{
    char apprun[PATH_MAX];
    if (find_apprun(dir, apprun, sizeof apprun) != 0)
        return EXIT_FAILURE;
    // Blocked across fork so that no signal is lost before the handler knows the child.
    sigset_t forwarded, previous;
    sigemptyset(&forwarded);
    for (int i = 0; i < kForwardedCount; ++i)
        sigaddset(&forwarded, kForwardedSignals[i]);
    sigprocmask(SIG_BLOCK, &forwarded, &previous);
    pid_t child = fork();
    if (child == 0) {
        sigprocmask(SIG_SETMASK, &previous, NULL);
        if (set_environment(ai, dir, argv0) == 0)
            exec_prepared(apprun, args);
        _exit(127);
    }
    if (child < 0) {
        warn("fork");
        sigprocmask(SIG_SETMASK, &previous, NULL);
        return EXIT_FAILURE;
    }
    g_child = child;
    struct sigaction sa = {.sa_sigaction = forward_signal, .sa_flags = SA_SIGINFO | SA_RESTART};
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < kForwardedCount; ++i)
        sigaction(kForwardedSignals[i], &sa, NULL);
    sigprocmask(SIG_SETMASK, &previous, NULL);

    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) {
            warn("waitpid");
            return EXIT_FAILURE;
        }
    }
    g_child = 0;
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

int extract_and_run(const appimage *ai, const char *argv0, char *const args[])
{
    char dir[PATH_MAX];
    if (make_temp_dir("appimage_extracted_", ai->name, dir, sizeof dir) != 0) {
        warn("cannot create a directory to extract the AppImage to");
        return EXIT_FAILURE;
    }
    int status = extract_image(ai, dir, NULL, false) == 0 ? run_child(ai, dir, argv0, args) : EXIT_FAILURE;
    if (env_flag("APPIMAGE_EXTRACT_AND_RUN_NOCLEANUP"))
        warnx("kept the extracted copy in %s (APPIMAGE_EXTRACT_AND_RUN_NOCLEANUP)", dir);
    else if (remove_tree(dir) != 0)
        warnx("could not remove all of %s", dir);
    return status;
}
