// Temporary directory names: where the AppImage is mounted or extracted while it runs.
#include "tempdir.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int make_temp_dir(const char *prefix, const char *name, char *out, size_t out_len)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    // Part of the AppImage's name tells a user listing /tmp what is mounted there.
    if ((size_t)snprintf(out, out_len, "%s/%s%.6sXXXXXX", tmp, prefix, name) >= out_len) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (!mkdtemp(out))
        return -1;
    // Absolute, whatever TMPDIR is: it becomes APPDIR, and the FUSE server runs from /.
    char absolute[PATH_MAX];
    if (!realpath(out, absolute) || (size_t)snprintf(out, out_len, "%s", absolute) >= out_len) {
        rmdir(out);
        return -1;
    }
    return 0;
}
