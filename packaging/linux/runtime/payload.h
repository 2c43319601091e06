// Finds the squashfs image of a type-2 AppImage: the file is the runtime's ELF with the image
// appended right after its last byte (AppImageSpec draft, "Type 2 image format").
#pragma once

#include <limits.h>
#include <stdint.h>

typedef struct
{
    char path[PATH_MAX];     // absolute path of the AppImage (what APPIMAGE is set to)
    char name[NAME_MAX + 1]; // its file name, for messages and temporary directory names
    uint64_t offset;         // where the squashfs image starts: the end of the ELF part
    uint64_t file_size;
} appimage;

// Fills `ai` from the running file (/proc/self/exe, else argv0): checks the type-2 magic and
// computes the offset from the ELF header. Prints one line and returns -1 on failure.
int appimage_locate(appimage *ai, const char *argv0);

// Checks that a complete squashfs image starts at the offset. Prints one line and returns -1 if not.
int appimage_check_image(const appimage *ai);
