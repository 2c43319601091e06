// Copies the AppImage's squashfs tree onto disk (--appimage-extract, extract-and-run).
#pragma once

#include <stdbool.h>

#include "payload.h"

// Extracts the entries whose path (relative, e.g. "usr/bin/quarry") matches the fnmatch(3)
// `pattern` (every entry when NULL) into `dest`, creating the parents of matched entries.
// Directories, regular files (with their permission bits) and symlinks; with `list`, prints each
// extracted path as "dest/path". Prints one line and returns -1 on the first error.
int extract_image(const appimage *ai, const char *dest, const char *pattern, bool list);

// Deletes a directory tree (extract-and-run's temporary copy). Returns -1 if anything is left.
int remove_tree(const char *dir);
