# What Quarry.app's Info.plist says (Info.plist.in), in one place; info-plist.cmake writes the plist
# from these, for install.cmake and for tests/packaging/check_macos_bundle.sh.
set(QUARRY_BUNDLE_ID "dev.quarry.Quarry")
# The executable inside Contents/MacOS: the same `quarry` the CLI is on every OS.
set(QUARRY_BUNDLE_EXECUTABLE "quarry")
set(QUARRY_BUNDLE_ICON "quarry.icns")
# The release DMG is built on macOS 14 against Homebrew's Qt and libraries, whose bottles are built
# for that macOS; they do not load on older systems.
set(QUARRY_MACOS_MINIMUM "14.0")
set(QUARRY_COPYRIGHT "Copyright The Quarry authors. Licensed under the Apache License 2.0.")
