// The AppImage type-2 runtime: the ELF at the start of Quarry's AppImage. It mounts the squashfs
// image appended to it (FUSE) and runs its AppRun, or extracts it. Written here from the AppImage
// specification (https://github.com/AppImage/AppImageSpec/blob/master/draft.md, "Type 2 image
// format"); the command-line options follow the ones AppImage users know.
#include "extract.h"
#include "launch.h"
#include "mount.h"
#include "payload.h"

#include <err.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef QUARRY_VERSION
#error "QUARRY_VERSION is set by packaging/linux/CMakeLists.txt"
#endif

// Sections the spec reserves, zero-filled, for tools that write into a built AppImage: update
// information (.upd_info), a detached signature (.sha256_sig) and the key that made it (.sig_key).
// PROGBITS (initialised data) so that they occupy bytes in the file.
__attribute__((section(".upd_info"), used, aligned(1))) static const char kUpdateInfo[1024] = {0};
__attribute__((section(".sha256_sig"), used, aligned(1))) static const char kSignature[1024] = {0};
__attribute__((section(".sig_key"), used, aligned(1))) static const char kSignatureKey[8192] = {0};

static void usage(const char *argv0)
{
    printf("Usage: %s [--appimage-OPTION | ARGUMENTS FOR THE APP...]\n"
           "Without an --appimage- option, mounts the AppImage and runs its AppRun with the arguments.\n"
           "\n"
           "  --appimage-extract [PATTERN]    extract the files (or those whose path matches the\n"
           "                                  shell PATTERN) into ./squashfs-root\n"
           "  --appimage-extract-and-run ...  run from a temporary extracted copy, without FUSE\n"
           "                                  (also: APPIMAGE_EXTRACT_AND_RUN=1)\n"
           "  --appimage-mount                mount, print the mount point, wait until killed\n"
           "  --appimage-offset               print the offset of the squashfs image\n"
           "  --appimage-version              print the runtime's version\n"
           "  --appimage-help                 print this help\n"
           "\n"
           "APPIMAGE_EXTRACT_AND_RUN_NOCLEANUP=1 keeps the extracted copy.\n",
           argv0);
}

// Mounts and execs AppRun; when FUSE is unavailable, says so and runs from an extracted copy.
static int mount_and_run(const appimage *ai, const char *argv0, char *const args[], int mount_only)
{
    char mnt[PATH_MAX], why[256];
    int keepalive = -1;
    if (mount_image(ai, mnt, sizeof mnt, &keepalive, why, sizeof why) != 0) {
        if (mount_only) {
            warnx("cannot mount the AppImage with FUSE: %s", why);
            return EXIT_FAILURE;
        }
        warnx("cannot mount the AppImage with FUSE (%s); running it from an extracted copy instead", why);
        return extract_and_run(ai, argv0, args);
    }
    if (mount_only) {
        printf("%s\n", mnt);
        fflush(stdout);
        for (;;)
            pause(); // the mount lives as long as this process holds the keep-alive pipe
    }
    // The app inherits the keep-alive pipe's write end: the mount lives while any of its
    // processes runs.
    fcntl(keepalive, F_SETFD, 0);
    exec_apprun(ai, mnt, argv0, args);
    return EXIT_FAILURE;
}

int main(int argc, char *argv[])
{
    const char *option = argc > 1 && strncmp(argv[1], "--appimage-", 11) == 0 ? argv[1] : NULL;
    if (option && strcmp(option, "--appimage-help") == 0) {
        usage(argv[0]);
        return EXIT_SUCCESS;
    }
    if (option && strcmp(option, "--appimage-version") == 0) {
        printf("Quarry AppImage runtime %s (type 2)\n", QUARRY_VERSION);
        return EXIT_SUCCESS;
    }
    appimage ai;
    if (appimage_locate(&ai, argv[0]) != 0)
        return EXIT_FAILURE;
    if (option && strcmp(option, "--appimage-offset") == 0) {
        printf("%llu\n", (unsigned long long)ai.offset);
        return EXIT_SUCCESS;
    }
    if (appimage_check_image(&ai) != 0)
        return EXIT_FAILURE;
    if (!option)
        return env_flag("APPIMAGE_EXTRACT_AND_RUN") ? extract_and_run(&ai, argv[0], argv + 1)
                                                    : mount_and_run(&ai, argv[0], argv + 1, 0);
    if (strcmp(option, "--appimage-extract") == 0) {
        if (argc > 3) {
            warnx("--appimage-extract takes at most one PATTERN");
            return EXIT_FAILURE;
        }
        return extract_image(&ai, "squashfs-root", argc == 3 ? argv[2] : NULL, true) == 0 ? EXIT_SUCCESS
                                                                                          : EXIT_FAILURE;
    }
    if (strcmp(option, "--appimage-extract-and-run") == 0)
        return extract_and_run(&ai, argv[0], argv + 2);
    if (strcmp(option, "--appimage-mount") == 0)
        return mount_and_run(&ai, argv[0], argv + 2, 1);
    warnx("unknown option %s (see --appimage-help)", option);
    return EXIT_FAILURE;
}
