// Locates the squashfs image appended to the runtime: ELF header arithmetic and magic checks.
#include "payload.h"

#include <elf.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// Bytes 8..10 of e_ident (EI_PAD, unused by ELF) hold "AI" and the image type (AppImageSpec).
static const unsigned char kTypeTwoMagic[3] = {'A', 'I', 0x02};
// Squashfs 4.0 superblock (struct squashfs_super_block in Debian's squashfuse/squashfs_fs.h):
// magic "hsqs" at 0, bytes_used (little-endian u64) at 40, 96 bytes in all.
static const unsigned char kSquashfsMagic[4] = {'h', 's', 'q', 's'};
enum { kSuperblockBytesUsedAt = 40, kSuperblockSize = 96 };

static int read_exact(int fd, void *buf, size_t len, uint64_t at)
{
    ssize_t got = pread(fd, buf, len, (off_t)at);
    return got == (ssize_t)len ? 0 : -1;
}

static int self_path(char *out, size_t len, const char *argv0)
{
    ssize_t n = readlink("/proc/self/exe", out, len - 1);
    if (n > 0) {
        out[n] = '\0';
        return 0;
    }
    // Without /proc, argv[0] still names the file when it was started by path.
    if (argv0 && strchr(argv0, '/') && realpath(argv0, out))
        return 0;
    warnx("cannot find the AppImage file itself (/proc/self/exe is unreadable)");
    return -1;
}

// The end of the ELF part: the section header table is the last thing a linker writes.
static int elf_end(int fd, const char *path, uint64_t *end)
{
    unsigned char ident[EI_NIDENT];
    if (read_exact(fd, ident, sizeof ident, 0) != 0 || memcmp(ident, ELFMAG, SELFMAG) != 0) {
        warnx("%s: not an ELF file", path);
        return -1;
    }
    // The runtime reads its own header, so a foreign byte order means a damaged file.
    const unsigned char native = (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) ? ELFDATA2LSB : ELFDATA2MSB;
    if (ident[EI_DATA] != native) {
        warnx("%s: ELF byte order does not match this machine", path);
        return -1;
    }
    if (ident[EI_CLASS] == ELFCLASS64) {
        Elf64_Ehdr h;
        if (read_exact(fd, &h, sizeof h, 0) != 0)
            goto truncated;
        *end = h.e_shoff + (uint64_t)h.e_shnum * h.e_shentsize;
    } else if (ident[EI_CLASS] == ELFCLASS32) {
        Elf32_Ehdr h;
        if (read_exact(fd, &h, sizeof h, 0) != 0)
            goto truncated;
        *end = h.e_shoff + (uint64_t)h.e_shnum * h.e_shentsize;
    } else {
        warnx("%s: unknown ELF class", path);
        return -1;
    }
    return 0;
truncated:
    warnx("%s: truncated ELF header", path);
    return -1;
}

int appimage_locate(appimage *ai, const char *argv0)
{
    memset(ai, 0, sizeof *ai);
    if (self_path(ai->path, sizeof ai->path, argv0) != 0)
        return -1;
    const char *slash = strrchr(ai->path, '/');
    snprintf(ai->name, sizeof ai->name, "%.*s", NAME_MAX, slash ? slash + 1 : ai->path);

    int fd = open(ai->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        warn("%s", ai->path);
        return -1;
    }
    int rc = -1;
    struct stat st;
    unsigned char magic[sizeof kTypeTwoMagic];
    if (fstat(fd, &st) != 0) {
        warn("%s", ai->path);
    } else if (read_exact(fd, magic, sizeof magic, 8) != 0 ||
               memcmp(magic, kTypeTwoMagic, sizeof magic) != 0) {
        warnx("%s: not a type-2 AppImage (no \"AI\\x02\" at offset 8)", ai->path);
    } else if (elf_end(fd, ai->path, &ai->offset) == 0) {
        ai->file_size = (uint64_t)st.st_size;
        if (ai->offset > ai->file_size)
            warnx("%s: truncated: the ELF part ends at %llu, the file has %llu bytes", ai->path,
                  (unsigned long long)ai->offset, (unsigned long long)ai->file_size);
        else
            rc = 0;
    }
    close(fd);
    return rc;
}

int appimage_check_image(const appimage *ai)
{
    if (ai->offset == ai->file_size) {
        warnx("%s: no squashfs image is appended (this is the bare runtime)", ai->path);
        return -1;
    }
    int fd = open(ai->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        warn("%s", ai->path);
        return -1;
    }
    unsigned char sb[kSuperblockSize];
    int ok = read_exact(fd, sb, sizeof sb, ai->offset) == 0;
    close(fd);
    if (!ok || memcmp(sb, kSquashfsMagic, sizeof kSquashfsMagic) != 0) {
        warnx("%s: no squashfs image at offset %llu", ai->path, (unsigned long long)ai->offset);
        return -1;
    }
    uint64_t used = 0;
    for (int i = 7; i >= 0; --i)
        used = (used << 8) | sb[kSuperblockBytesUsedAt + i];
    if (used > ai->file_size - ai->offset) {
        warnx("%s: truncated: the squashfs image needs %llu bytes after offset %llu, the file has %llu",
              ai->path, (unsigned long long)used, (unsigned long long)ai->offset,
              (unsigned long long)(ai->file_size - ai->offset));
        return -1;
    }
    return 0;
}
