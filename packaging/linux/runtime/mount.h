// Mounts the AppImage's squashfs image with FUSE, served by a detached process.
#pragma once

#include <stddef.h>

#include "payload.h"

// Mounts the image read-only at a fresh directory ($TMPDIR or /tmp, ".mount_<name>XXXXXX"),
// written to `mountpoint`. The serving process runs detached from this one (so it never becomes
// a zombie here) and unmounts, removes the directory and exits once every copy of
// `*keepalive_fd` is closed: the caller keeps it open across exec, so the app and every child
// that inherits it keep the mount alive. On failure returns -1 with a one-line reason in `why`
// and leaves nothing behind.
int mount_image(const appimage *ai, char *mountpoint, size_t mountpoint_len, int *keepalive_fd, char *why,
                size_t why_len);
