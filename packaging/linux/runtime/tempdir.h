// Fresh private directories for the mount point and the extracted copy.
#pragma once

#include <stddef.h>

// Creates "$TMPDIR/<prefix><first 6 characters of name>XXXXXX" (mode 0700, /tmp when TMPDIR is
// unset) and writes its path to `out`. Returns -1 with errno set on failure.
int make_temp_dir(const char *prefix, const char *name, char *out, size_t out_len);
