// Extraction with libsquashfuse's traversal API: a squashfs tree becomes files on disk.
// squashfuse's headers come first: its config.h sets _POSIX_C_SOURCE before any system header.
#include <squashfuse/squashfuse.h>

#include "extract.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { kCopyChunk = 128 * 1024 };

// Directories get their modes last, deepest first, so a read-only one can still be filled.
typedef struct
{
    char **paths;
    mode_t *modes;
    size_t count, capacity;
} dir_modes;

static int remember_dir(dir_modes *d, const char *path, mode_t mode)
{
    if (d->count == d->capacity) {
        size_t cap = d->capacity ? 2 * d->capacity : 64;
        char **paths = realloc(d->paths, cap * sizeof *paths);
        if (paths)
            d->paths = paths;
        mode_t *modes = realloc(d->modes, cap * sizeof *modes);
        if (modes)
            d->modes = modes;
        if (!paths || !modes)
            return -1;
        d->capacity = cap;
    }
    if (!(d->paths[d->count] = strdup(path)))
        return -1;
    d->modes[d->count++] = mode;
    return 0;
}

static int apply_dir_modes(dir_modes *d)
{
    int rc = 0;
    for (size_t i = d->count; i-- > 0;) {
        if (rc == 0 && chmod(d->paths[i], d->modes[i]) != 0) {
            warn("%s", d->paths[i]);
            rc = -1;
        }
        free(d->paths[i]);
    }
    free(d->paths);
    free(d->modes);
    return rc;
}

// mkdir that accepts an existing directory but never a symlink or file in its place.
static int make_dir(const char *path)
{
    if (mkdir(path, 0755) == 0)
        return 0;
    struct stat st;
    if (errno == EEXIST && lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    if (errno == EEXIST)
        warnx("%s: exists and is not a directory", path);
    else
        warn("%s", path);
    return -1;
}

// Parents of an entry selected by a pattern, between dest and the entry (mkdir -p).
static int make_parents(char *path, size_t dest_len)
{
    for (char *p = path + dest_len + 1; (p = strchr(p, '/')); ++p) {
        *p = '\0';
        int rc = make_dir(path);
        *p = '/';
        if (rc != 0)
            return -1;
    }
    return 0;
}

// Replaces what is at `path` (a previous extraction) without ever writing through a symlink.
static int clear_path(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return 0;
    if (S_ISDIR(st.st_mode)) {
        warnx("%s: exists and is a directory", path);
        return -1;
    }
    if (unlink(path) != 0) {
        warn("%s", path);
        return -1;
    }
    return 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static int copy_file(sqfs *fs, sqfs_inode *inode, const char *path)
{
    static char buf[kCopyChunk];
    if (clear_path(path) != 0)
        return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        warn("%s", path);
        return -1;
    }
    uint64_t size = inode->xtra.reg.file_size;
    for (uint64_t at = 0; at < size;) {
        sqfs_off_t chunk = (sqfs_off_t)(size - at < kCopyChunk ? size - at : kCopyChunk);
        if (sqfs_read_range(fs, inode, (sqfs_off_t)at, &chunk, buf) != SQFS_OK || chunk <= 0) {
            warnx("%s: cannot read it from the squashfs image", path);
            close(fd);
            return -1;
        }
        if (write_all(fd, buf, (size_t)chunk) != 0) {
            warn("%s", path); // e.g. "No space left on device"
            close(fd);
            return -1;
        }
        at += (uint64_t)chunk;
    }
    // Permission bits only: set-id bits from an image are not honoured on extraction.
    if (fchmod(fd, inode->base.mode & 0777) != 0 || close(fd) != 0) {
        warn("%s", path);
        return -1;
    }
    return 0;
}

static int copy_symlink(sqfs *fs, sqfs_inode *inode, const char *path)
{
    size_t size = 0;
    if (sqfs_readlink(fs, inode, NULL, &size) != SQFS_OK) {
        warnx("%s: cannot read the link from the squashfs image", path);
        return -1;
    }
    char *target = malloc(++size);
    int rc = -1;
    if (!target)
        warnx("%s: out of memory", path);
    else if (sqfs_readlink(fs, inode, target, &size) != SQFS_OK)
        warnx("%s: cannot read the link from the squashfs image", path);
    else if (clear_path(path) == 0 && symlink(target, path) != 0)
        warn("%s", path);
    else
        rc = 0;
    free(target);
    return rc;
}

static const char *describe(sqfs_err e)
{
    switch (e) {
    case SQFS_BADFORMAT:
        return "not a squashfs image";
    case SQFS_BADVERSION:
        return "unsupported squashfs version";
    case SQFS_BADCOMP:
        return "compressed with a method this runtime cannot read";
    default:
        return "cannot read the squashfs image";
    }
}

// One traversal entry: checks its name, then creates it under dest.
static int extract_entry(sqfs *fs, sqfs_traverse *trv, const char *dest, bool parents, dir_modes *dirs)
{
    const char *name = trv->entry.name;
    if (strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        warnx("%s: unsafe name in the squashfs image", trv->path);
        return -1;
    }
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dest, trv->path) >= sizeof path) {
        warnx("%s/%s: path too long", dest, trv->path);
        return -1;
    }
    if (parents && make_parents(path, strlen(dest)) != 0)
        return -1;
    sqfs_inode inode;
    if (sqfs_inode_get(fs, &inode, trv->entry.inode) != SQFS_OK) {
        warnx("%s: cannot read its inode from the squashfs image", trv->path);
        return -1;
    }
    mode_t type = sqfs_mode(inode.base.inode_type);
    if (S_ISDIR(type))
        return make_dir(path) == 0 ? remember_dir(dirs, path, inode.base.mode & 0777) : -1;
    if (S_ISREG(type))
        return copy_file(fs, &inode, path);
    if (S_ISLNK(type))
        return copy_symlink(fs, &inode, path);
    warnx("%s: skipped (device, fifo or socket)", trv->path);
    return 1;
}

int extract_image(const appimage *ai, const char *dest, const char *pattern, bool list)
{
    int fd = open(ai->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        warn("%s", ai->path);
        return -1;
    }
    sqfs fs;
    sqfs_err e = sqfs_init(&fs, fd, (size_t)ai->offset);
    if (e != SQFS_OK) {
        warnx("%s: %s", ai->path, describe(e));
        close(fd);
        return -1;
    }
    int rc = make_dir(dest);
    dir_modes dirs = {0};
    sqfs_traverse trv;
    if (rc == 0 && sqfs_traverse_open(&trv, &fs, sqfs_inode_root(&fs)) != SQFS_OK) {
        warnx("%s: cannot read the root directory of the squashfs image", ai->path);
        rc = -1;
    } else if (rc == 0) {
        while (rc == 0 && sqfs_traverse_next(&trv, &e)) {
            if (trv.dir_end || (pattern && fnmatch(pattern, trv.path, 0) != 0))
                continue;
            int done = extract_entry(&fs, &trv, dest, pattern != NULL, &dirs);
            if (done < 0)
                rc = -1;
            else if (done == 0 && list)
                printf("%s/%s\n", dest, trv.path);
        }
        if (rc == 0 && e != SQFS_OK) {
            warnx("%s: %s", ai->path, describe(e));
            rc = -1;
        }
        sqfs_traverse_close(&trv);
    }
    if (apply_dir_modes(&dirs) != 0)
        rc = -1;
    sqfs_destroy(&fs);
    close(fd);
    if (list && fflush(stdout) != 0)
        rc = -1;
    return rc;
}

static int make_removable(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    if (type == FTW_D)
        chmod(path, (st->st_mode & 0777) | 0700); // a read-only directory cannot be emptied
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)type, (void)ftw;
    if (remove(path) != 0)
        warn("%s", path);
    return 0;
}

int remove_tree(const char *dir)
{
    nftw(dir, make_removable, 16, FTW_PHYS);
    nftw(dir, remove_entry, 16, FTW_PHYS | FTW_DEPTH);
    return access(dir, F_OK) == 0 ? -1 : 0;
}
