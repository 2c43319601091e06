// Starts the AppImage's AppRun: from the FUSE mount (exec) or from an extracted copy (child).
#pragma once

#include "payload.h"

// True when the environment variable is set to anything but "" or "0".
int env_flag(const char *name);

// Sets APPIMAGE, APPDIR, ARGV0 and OWD and replaces this process with `appdir`/AppRun, passing
// `args` (NULL-terminated, the app's arguments) unchanged. Returns only on failure, after
// printing why.
void exec_apprun(const appimage *ai, const char *appdir, const char *argv0, char *const args[]);

// Extracts the image to a fresh temporary directory, runs AppRun there as a child (SIGINT, SIGTERM,
// SIGHUP and SIGQUIT sent to the runtime are passed on), removes the directory unless
// APPIMAGE_EXTRACT_AND_RUN_NOCLEANUP=1, and returns the app's exit status (128+N if killed by
// signal N).
int extract_and_run(const appimage *ai, const char *argv0, char *const args[]);
