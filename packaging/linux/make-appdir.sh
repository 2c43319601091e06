#!/usr/bin/env bash
# Assembles Quarry's AppDir (the tree an AppImage carries) from a build: the install tree, the Qt
# plugins the app loads, and every shared library they need except those every desktop provides,
# with RUNPATHs so the bundled copies are found without LD_LIBRARY_PATH.
#   make-appdir.sh BUILD_DIR APPDIR
# Layout (AppImage spec, https://docs.appimage.org/reference/appdir.html):
#   AppRun  dev.quarry.Quarry.desktop  dev.quarry.Quarry.png  .DirIcon
#   usr/bin/quarry + qt.conf   usr/lib/*.so.*   usr/plugins/<type>/*.so   usr/share/...
set -euo pipefail
set -o errtrace
# set -e leaves silently from inside $(...) and pipelines: name the command that failed.
trap 'echo "make-appdir.sh: line $LINENO failed: $BASH_COMMAND" >&2' ERR

APP_ID=dev.quarry.Quarry

# Qt plugins Quarry loads, relative to Qt's plugin directory.
QT_PLUGINS=(
  platforms/libqxcb.so      # the window, on X11 and under XWayland
  platforms/libqoffscreen.so platforms/libqminimal.so # QT_QPA_PLATFORM=offscreen|minimal (headless, tests)
  xcbglintegrations/libqxcb-glx-integration.so xcbglintegrations/libqxcb-egl-integration.so
  tls/libqopensslbackend.so # HTTPS to STS and SSO; the system CA list Bedrock's TLS trusts (dlopens libssl/libcrypto)
  tls/libqcertonlybackend.so
  sqldrivers/libqsqlite.so  # the history database
  iconengines/libqsvgicon.so
  imageformats/libqsvg.so imageformats/libqico.so imageformats/libqgif.so imageformats/libqjpeg.so
  platforminputcontexts/libcomposeplatforminputcontextplugin.so # dead keys and compose sequences
  platforminputcontexts/libibusplatforminputcontextplugin.so    # IBus input methods (CJK and others)
)
# Left out on purpose:
# - platformthemes (gtk3, xdgdesktopportal): not in Debian's qt6-base; the gtk3 one would drag GTK
#   into the process, and Quarry's own Theme styles the window.
# - wayland: not in the build's dependencies (qt6-wayland) and libwayland-* would come with it;
#   every Wayland desktop runs X11 apps through XWayland, and xcb is what is tested here.
# - eglfs, linuxfb, vnc, vkkhrdisplay, generic/ (evdev, libinput, tslib), egldeviceintegrations:
#   for devices without a window system, not for a desktop app.
# - networkinformation: Quarry does not use QNetworkInformation. printsupport: it does not print.

# Loaded with dlopen() at run time, so no NEEDED entry names them and a dependency walk misses them:
# Qt's OpenSSL TLS backend resolves libssl/libcrypto this way (both are also NEEDED by quarry),
# and QtKeychain opens QLibrary("secret-1", 0) for the Secret Service.
DLOPENED_LIBS=(libssl.so.3 libcrypto.so.3 libsecret-1.so.0)

# The libraries every Linux desktop provides, which the AppDir does NOT carry: bundling them breaks
# more than it fixes, because they must match the kernel, the GPU driver, the X server, the system's
# configuration files, or libraries the system itself loads into the process. This is the one list;
# packaging/linux/test-appimage.sh builds a Debian root holding exactly these (and no Qt) and runs
# the AppImage in it, which proves that nothing else is needed from the system. Extended regexes,
# matched against the whole soname.
SYSTEM_LIBS=(
  # glibc: must match the system's ld.so. The summary line says which version the bundle needs.
  'ld-linux-x86-64\.so\.2' 'lib(c|m|dl|pthread|rt|resolv|util)\.so\.[0-9]+'
  # The C++ runtime: GL drivers (Mesa's LLVM) load the system's into the process, and an older
  # bundled copy would be picked first and break them; Debian 12's (GCC 12) is older than or equal
  # to what distributions with a new enough glibc ship (the summary line names the version).
  'libstdc\+\+\.so\.6' 'libgcc_s\.so\.1'
  # OpenGL through libglvnd, and the kernel's DRM/GBM: tied to the GPU driver.
  'lib(GL|EGL|GLX|OpenGL)\.so\.[0-9]+' 'libdrm\.so\.[0-9]+' 'libgbm\.so\.[0-9]+'
  # Xlib and libxcb with the X protocol extensions built from the libxcb source: tied to the X
  # server. NOT the xcb-util helpers (icccm, image, keysyms, render-util, util, cursor) nor
  # libxkbcommon(-x11): desktops do not all have them, so those are bundled.
  'libX11\.so\.6' 'libX11-xcb\.so\.1' 'libxcb\.so\.1'
  'libxcb-(composite|damage|dpms|dri2|dri3|glx|present|randr|record|render|res|screensaver|shape|shm|sync|xf86dri|xfixes|xinerama|xinput|xkb|xtest|xv|xvmc)\.so\.[0-9]+'
  # Fonts: must read the system's fontconfig configuration and cache.
  'libfontconfig\.so\.1' 'libfreetype\.so\.6'
  # GLib and D-Bus: the system's session services (and GVfs/dconf modules) expect their own.
  'lib(glib|gobject|gio|gmodule|gthread)-2\.0\.so\.0' 'libdbus-1\.so\.3'
)

usage() { echo "usage: $0 BUILD_DIR APPDIR" >&2; exit 2; }
fail() { echo "make-appdir.sh: $*" >&2; exit 1; }

is_system_lib() {
  local pattern
  for pattern in "${SYSTEM_LIBS[@]}"; do
    [[ $1 =~ ^${pattern}$ ]] && return 0
  done
  return 1
}

# Qt's plugin directory, from the Qt the build used: qtpaths6 (or qmake6) on PATH, checked below
# against the Qt the binary links.
qt_plugin_dir() {
  local tool
  for tool in qtpaths6 qtpaths; do
    command -v "$tool" >/dev/null && { "$tool" --query QT_INSTALL_PLUGINS; return; }
  done
  command -v qmake6 >/dev/null && { qmake6 -query QT_INSTALL_PLUGINS; return; }
  fail "neither qtpaths6 nor qmake6 is on PATH (apt install qt6-base-dev-tools)"
}

# "SONAME PATH" for every library the system's loader resolves for ELF (ldd runs the loader).
resolved_libs() {
  ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 } $2 == "=>" && $3 == "not" { print $1, "NOT-FOUND" }'
}

needed_of() { objdump -p "$1" | awk '$1 == "NEEDED" { print $2 }'; }

# Where the system's loader finds a library that no object names (the dlopened ones). awk reads to
# the end: leaving early would kill ldconfig with SIGPIPE, a failure under pipefail.
system_path_of() {
  ldconfig -p | awk -v name="$1" '$1 == name && /x86-64/ && !found { print $NF; found = 1 }'
}

declare -A BUNDLED=() # soname -> where it came from
QUEUE=()              # ELF files whose NEEDED entries are still to be walked

bundle_lib() { # SONAME SOURCE_PATH
  [ -n "${BUNDLED[$1]:-}" ] && return 0
  BUNDLED[$1]=$2
  cp -L "$2" "$APPDIR/usr/lib/$1"
  chmod 0755 "$APPDIR/usr/lib/$1"
  QUEUE+=("$2")
}

# Walks the dependency graph breadth-first, never into a system library (what it needs comes with
# it on the system). Resolution is taken from the original file, as the loader would do it.
walk_dependencies() {
  local elf soname path
  while [ ${#QUEUE[@]} -gt 0 ]; do
    elf=${QUEUE[0]}
    QUEUE=("${QUEUE[@]:1}")
    declare -A where=()
    while read -r soname path; do where[$soname]=$path; done < <(resolved_libs "$elf")
    for soname in $(needed_of "$elf"); do
      is_system_lib "$soname" && continue
      path=${where[$soname]:-}
      if [ -z "$path" ] || [ "$path" = NOT-FOUND ]; then fail "$elf needs $soname, which the system cannot resolve"; fi
      bundle_lib "$soname" "$path"
    done
    unset where
  done
}

# Strips debug info (the build tree keeps it), then sets the RUNPATH. Strip first: strip on a file
# patchelf has rewritten can corrupt it.
finish_elf() { # FILE RUNPATH
  strip --strip-unneeded "$1"
  patchelf --set-rpath "$2" "$1"
}

# Every non-system library an object in the AppDir needs must resolve to the AppDir's copy: a
# RUNPATH mistake would quietly load the host's, and only a machine without it would notice.
# Direct NEEDED entries only: what system libraries need comes from the system.
check_resolution() {
  local elf soname path status=0
  while IFS= read -r -d '' elf; do
    [ "$(head -c 4 "$elf" | tail -c 3)" = ELF ] || continue
    declare -A where=()
    while read -r soname path; do where[$soname]=$path; done < <(resolved_libs "$elf")
    for soname in $(needed_of "$elf"); do
      is_system_lib "$soname" && continue
      case "${where[$soname]:-}" in
        "$APPDIR"/*) ;;
        *) echo "make-appdir.sh: ${elf#"$APPDIR"/} loads $soname from ${where[$soname]:-nowhere}, not from the AppDir" >&2
           status=1 ;;
      esac
    done
    unset where
  done < <(find "$APPDIR/usr" -type f -print0)
  return "$status"
}

# The newest glibc and libstdc++ symbol versions anything in the AppDir uses: the oldest system the
# AppImage runs on has these.
system_requirements() {
  local versions
  versions=$(find "$APPDIR" -type f \( -name '*.so*' -o -path '*/bin/quarry' \) -exec objdump -T {} + 2>/dev/null \
    | grep -oE '(GLIBC_2|GLIBCXX_3\.4)\.[0-9]+' | sort -V -u || true)
  echo "needs glibc $(grep '^GLIBC_' <<<"$versions" | tail -1 | cut -d_ -f2)+," \
    "libstdc++ $(grep '^GLIBCXX_' <<<"$versions" | tail -1 | cut -d_ -f2)+"
}

# The Debian copyright files of the packages the bundled libraries come from (LGPL/GPL notices
# travel with the copies), under usr/share/doc/third-party/PACKAGE/.
copy_copyright_files() {
  command -v dpkg-query >/dev/null || return 0
  local pkg path files=()
  # On a merged /usr, dpkg knows each file under one of /lib/... and /usr/lib/...: ask for both.
  for path in "${BUNDLED[@]}"; do
    path=$(readlink -f "$path")
    files+=("$path" "${path#/usr}")
  done
  for pkg in $( (dpkg -S "${files[@]}" 2>/dev/null || true) | cut -d: -f1 | sort -u); do
    if [ -f "/usr/share/doc/$pkg/copyright" ]; then
      mkdir -p "$APPDIR/usr/share/doc/third-party/$pkg"
      cp "/usr/share/doc/$pkg/copyright" "$APPDIR/usr/share/doc/third-party/$pkg/"
    fi
  done
}

main() {
  [ $# -eq 2 ] || usage
  local build_dir=$1 target=$2
  [ -x "$build_dir/quarry" ] || fail "$build_dir/quarry is not built (./dev build)"
  for tool in patchelf strip objdump ldd ldconfig cmake; do
    command -v "$tool" >/dev/null || fail "$tool is missing (./dev package installs what packaging needs)"
  done
  # The target is replaced only once the new AppDir is complete; a directory that is not an AppDir
  # is never deleted. The work happens in TARGET.partial, which a failed run may leave behind.
  if [ -e "$target" ] && [ -n "$(ls -A "$target")" ] && [ ! -e "$target/AppRun" ]; then
    fail "$target exists and is not an AppDir; not deleting it"
  fi
  rm -rf "$target.partial"
  mkdir -p "$target.partial"
  APPDIR=$(cd "$target.partial" && pwd)

  cmake --install "$build_dir" --prefix "$APPDIR/usr" >/dev/null
  mkdir -p "$APPDIR/usr/lib" "$APPDIR/usr/plugins"

  local plugins plugin
  plugins=$(qt_plugin_dir)
  [ -d "$plugins" ] || fail "Qt plugin directory $plugins does not exist"
  # The plugins must belong to the Qt the binary links, or they refuse to load (or crash).
  local qt_core plugin_qt_core
  qt_core=$(resolved_libs "$build_dir/quarry" | awk '$1 == "libQt6Core.so.6" { print $2 }')
  plugin_qt_core=$(resolved_libs "$plugins/platforms/libqxcb.so" | awk '$1 == "libQt6Core.so.6" { print $2 }')
  [ "$(readlink -f "$qt_core")" = "$(readlink -f "$plugin_qt_core")" ] \
    || fail "$plugins belongs to another Qt ($plugin_qt_core) than quarry links ($qt_core)"

  QUEUE=("$build_dir/quarry")
  for plugin in "${QT_PLUGINS[@]}"; do
    [ -f "$plugins/$plugin" ] || fail "Qt plugin $plugin is not in $plugins"
    mkdir -p "$APPDIR/usr/plugins/$(dirname "$plugin")"
    cp "$plugins/$plugin" "$APPDIR/usr/plugins/$plugin"
    QUEUE+=("$plugins/$plugin")
  done
  local lib path
  for lib in "${DLOPENED_LIBS[@]}"; do
    path=$(system_path_of "$lib")
    [ -n "$path" ] || fail "$lib is not installed (it is loaded at run time: apt install libssl3 libsecret-1-0)"
    bundle_lib "$lib" "$path"
  done
  walk_dependencies

  # shellcheck disable=SC2016 # $ORIGIN is for the loader, not the shell
  finish_elf "$APPDIR/usr/bin/quarry" '$ORIGIN/../lib'
  # shellcheck disable=SC2016
  for lib in "$APPDIR"/usr/lib/*.so*; do finish_elf "$lib" '$ORIGIN'; done
  # shellcheck disable=SC2016
  for plugin in "${QT_PLUGINS[@]}"; do finish_elf "$APPDIR/usr/plugins/$plugin" '$ORIGIN/../../lib'; done

  # Qt 6.4 built against OpenSSL 3 asks for the unversioned libssl.so/libcrypto.so first (its
  # versioned attempt keys on OpenSSL 1.1's SHLIB_VERSION_NUMBER), then scans the library
  # directories, where a system copy may come first. These links let the dlopen find the AppDir's
  # copies through libQt6Core's RUNPATH, before any system path (seen with LD_DEBUG=files,libs).
  ln -s libssl.so.3 "$APPDIR/usr/lib/libssl.so"
  ln -s libcrypto.so.3 "$APPDIR/usr/lib/libcrypto.so"

  # Qt reads qt.conf beside the executable: plugins from the AppDir, never from the system's Qt.
  # Paths are relative to the directory that holds qt.conf.
  printf '[Paths]\nPrefix = ..\nPlugins = plugins\nLibraries = lib\n' >"$APPDIR/usr/bin/qt.conf"

  install -m 0755 "$(dirname "$0")/AppRun" "$APPDIR/AppRun"
  cp "$APPDIR/usr/share/applications/$APP_ID.desktop" "$APPDIR/$APP_ID.desktop"
  cp "$APPDIR/usr/share/icons/hicolor/256x256/apps/$APP_ID.png" "$APPDIR/$APP_ID.png"
  ln -s "$APP_ID.png" "$APPDIR/.DirIcon"
  copy_copyright_files

  check_resolution || fail "RUNPATHs do not point at the AppDir's libraries"
  local requirements
  requirements=$(system_requirements)
  rm -rf "$target"
  mv "$APPDIR" "$target" # RUNPATHs and qt.conf are relative: the tree can move
  echo "AppDir $target: ${#BUNDLED[@]} libraries, ${#QT_PLUGINS[@]} Qt plugins, $(du -sh "$target" | cut -f1); $requirements"
}

main "$@"
