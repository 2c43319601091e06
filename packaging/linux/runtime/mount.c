// FUSE mount of the appended image: libfuse3's low-level session with squashfuse_ll's operations.
// squashfuse's headers come first: its config.h sets FUSE_USE_VERSION and _POSIX_C_SOURCE.
#include <squashfuse/ll.h>

#include "mount.h"
#include "tempdir.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

// How long the runtime waits for the serving process to report the mount before giving up.
enum { kMountDeadlineMs = 10000 };

// What the serving process tells the runtime, in one write (smaller than PIPE_BUF: atomic).
typedef struct
{
    int mounted;
    char reason[200];
} mount_report;

// libfuse's last error, so the runtime can print one line instead of libfuse's own messages.
static char g_fuse_error[200];

static void remember_fuse_error(enum fuse_log_level level, const char *fmt, va_list ap)
{
    if (level > FUSE_LOG_ERR)
        return;
    vsnprintf(g_fuse_error, sizeof g_fuse_error, fmt, ap);
    g_fuse_error[strcspn(g_fuse_error, "\n")] = '\0';
}

static void report(int fd, int mounted, const char *reason)
{
    mount_report r = {.mounted = mounted};
    snprintf(r.reason, sizeof r.reason, "%s", reason);
    if (write(fd, &r, sizeof r) != (ssize_t)sizeof r)
        _exit(1);
    close(fd);
}

// Serves requests until the keep-alive pipe reports EOF (the app and all its children are gone),
// the mount is removed from outside, or SIGTERM/SIGINT/SIGHUP arrive.
static void serve(struct fuse_session *se, int keepalive_fd)
{
    struct fuse_buf buf = {0};
    while (!fuse_session_exited(se)) {
        struct pollfd fds[2] = {{.fd = fuse_session_fd(se), .events = POLLIN},
                                {.fd = keepalive_fd, .events = POLLIN}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (fds[1].revents) // nobody ever writes to it: any event is EOF
            break;
        if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL))
            break;
        int res = fuse_session_receive_buf(se, &buf);
        if (res == -EINTR || res == -EAGAIN)
            continue;
        if (res <= 0)
            break;
        fuse_session_process_buf(se, &buf);
    }
    free(buf.mem);
}

// The serving process: tells the runtime its pid, mounts, reports on `ready_fd`, serves, cleans up.
static void run_server(const appimage *ai, const char *mnt, int ready_fd, int keepalive_fd)
{
    pid_t self = getpid();
    if (write(ready_fd, &self, sizeof self) != (ssize_t)sizeof self)
        _exit(1);
    // The app's output may be a pipe whose reader waits for it to close: hold none of its streams.
    // libfuse's and squashfuse's messages would reach nobody anyway; the report carries the reason.
    int null_fd = open("/dev/null", O_RDWR);
    for (int fd = 0; fd <= 2 && null_fd >= 0; ++fd)
        dup2(null_fd, fd);
    if (null_fd > 2)
        close(null_fd);
    if (chdir("/") != 0) { // so as not to keep the caller's directory busy
        report(ready_fd, 0, "cannot change to /");
        _exit(1);
    }
    fuse_set_log_func(remember_fuse_error);
    sqfs_ll *ll = sqfs_ll_open(ai->path, (size_t)ai->offset);
    if (!ll) {
        report(ready_fd, 0, "cannot read the squashfs image");
        _exit(1);
    }
    struct fuse_lowlevel_ops ops = {
        .lookup = sqfs_ll_op_lookup,
        .forget = sqfs_ll_op_forget,
        .getattr = sqfs_ll_op_getattr,
        .readlink = sqfs_ll_op_readlink,
        .open = sqfs_ll_op_open,
        .read = sqfs_ll_op_read,
        .release = sqfs_ll_op_release,
        .opendir = sqfs_ll_op_opendir,
        .readdir = sqfs_ll_op_readdir,
        .releasedir = sqfs_ll_op_releasedir,
        .statfs = stfs_ll_op_statfs,
        .getxattr = sqfs_ll_op_getxattr,
        .listxattr = sqfs_ll_op_listxattr,
        .create = sqfs_ll_op_create,
    };
    char *argv[] = {"appimage", "-o", "ro", NULL};
    struct fuse_args args = FUSE_ARGS_INIT(3, argv);
    struct fuse_session *se = fuse_session_new(&args, &ops, sizeof ops, ll);
    if (!se || fuse_session_mount(se, mnt) != 0) {
        report(ready_fd, 0, g_fuse_error[0] ? g_fuse_error : "cannot create the FUSE session");
        _exit(1);
    }
    fuse_set_signal_handlers(se);
    report(ready_fd, 1, "");

    serve(se, keepalive_fd);
    fuse_session_unmount(se);
    fuse_remove_signal_handlers(se);
    fuse_session_destroy(se);
    sqfs_ll_destroy(ll);
    rmdir(mnt);
    _exit(0);
}

// Reads `len` bytes (one atomic write of the server) within `timeout_ms`: 1 done, 0 timed out,
// -1 the server ended first.
static int read_within(int fd, void *buf, size_t len, int timeout_ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int n;
    while ((n = poll(&p, 1, timeout_ms)) < 0 && errno == EINTR) {
    }
    if (n == 0)
        return 0;
    return read(fd, buf, len) == (ssize_t)len ? 1 : -1;
}

// The server's pid, then its report, each within kMountDeadlineMs.
static int await_report(int fd, pid_t *server_pid, mount_report *r, int *timed_out)
{
    int got = read_within(fd, server_pid, sizeof *server_pid, kMountDeadlineMs);
    if (got == 1)
        got = read_within(fd, r, sizeof *r, kMountDeadlineMs);
    if (got == 0) {
        *timed_out = 1;
        snprintf(r->reason, sizeof r->reason, "the FUSE mount did not come up within %d s",
                 kMountDeadlineMs / 1000);
    } else if (got < 0) {
        snprintf(r->reason, sizeof r->reason, "the FUSE process ended before mounting");
    }
    return got == 1 && r->mounted ? 0 : -1;
}

// The mount is live when the directory is on another device than its parent.
static int is_mounted(const char *mnt)
{
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s/..", mnt);
    struct stat a, b;
    return stat(mnt, &a) == 0 && stat(parent, &b) == 0 && a.st_dev != b.st_dev;
}

int mount_image(const appimage *ai, char *mountpoint, size_t mountpoint_len, int *keepalive_fd, char *why,
                size_t why_len)
{
    // Existence only: a user without access to /dev/fuse may still mount through the setuid
    // fusermount3, which libfuse runs when mount(2) is not permitted.
    if (access("/dev/fuse", F_OK) != 0) {
        snprintf(why, why_len, "/dev/fuse: %s", strerror(errno));
        return -1;
    }
    if (make_temp_dir(".mount_", ai->name, mountpoint, mountpoint_len) != 0) {
        snprintf(why, why_len, "cannot create a mount point: %s", strerror(errno));
        return -1;
    }
    int keepalive[2], ready[2];
    if (pipe2(keepalive, O_CLOEXEC) != 0 || pipe2(ready, O_CLOEXEC) != 0) {
        snprintf(why, why_len, "pipe: %s", strerror(errno));
        rmdir(mountpoint);
        return -1;
    }
    pid_t server_pid = -1;
    pid_t child = fork();
    if (child == 0) {
        // Double fork: the server is reparented to init at once, so neither this runtime nor the
        // app it becomes has a child to reap. Its own session keeps terminal signals away from it.
        close(keepalive[1]);
        close(ready[0]);
        setsid();
        pid_t server = fork();
        if (server == 0)
            run_server(ai, mountpoint, ready[1], keepalive[0]);
        _exit(server > 0 ? 0 : 1);
    }
    close(keepalive[0]);
    close(ready[1]);
    int status = 0;
    int forked =
        child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    mount_report r = {0};
    int timed_out = 0, mounted = 0;
    if (!forked)
        snprintf(r.reason, sizeof r.reason, "cannot start the FUSE process");
    else if (await_report(ready[0], &server_pid, &r, &timed_out) != 0) {
    } else if (!is_mounted(mountpoint))
        snprintf(r.reason, sizeof r.reason, "the FUSE mount is not visible at %s", mountpoint);
    else
        mounted = 1;
    close(ready[0]);
    if (mounted) {
        *keepalive_fd = keepalive[1];
        return 0;
    }
    close(keepalive[1]); // a server that did mount sees EOF, unmounts and removes the directory
    if (timed_out && server_pid > 0)
        kill(server_pid, SIGKILL);
    rmdir(mountpoint);
    snprintf(why, why_len, "%s", r.reason);
    return -1;
}
