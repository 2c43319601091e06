// Temporary directory names: where the AppImage is mounted or extracted while it runs.
#include "tempdir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

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
    return mkdtemp(out) ? 0 : -1;
}
