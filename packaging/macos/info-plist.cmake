# Writes Quarry.app's Info.plist: Info.plist.in with bundle.cmake's values and the version.
# Included by install.cmake at configure time; tests/packaging/check_macos_bundle.sh runs it as a
# script with a test version:
#   cmake -DPROJECT_VERSION=1.2.3 -DQUARRY_INFO_PLIST=out/Info.plist -P info-plist.cmake
include("${CMAKE_CURRENT_LIST_DIR}/bundle.cmake")
configure_file("${CMAKE_CURRENT_LIST_DIR}/Info.plist.in" "${QUARRY_INFO_PLIST}" @ONLY)
