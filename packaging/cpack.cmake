# Shared CPack settings: the package's identity, then the MSI (windows/wix.cmake, CPack WIX) and DMG
# (macos/dmg.cmake, CPack DragNDrop) settings. `cpack` in a build directory makes this OS's package:
#   Windows: cpack -G WIX        macOS: cpack -G DragNDrop
# (The AppImage is not CPack's: packaging/linux, `./dev package`.)
#
# Everything set here lands in <build>/CPackConfig.cmake, which cpack reads at packaging time.
# tests/packaging/check_wix.sh reads that same file to lay out its stand-in MSI with wixl, so the WiX
# settings are set on every OS (other generators ignore CPACK_WIX_*).
set(CPACK_PACKAGE_NAME "Quarry")
# The publisher in Add/Remove Programs.
set(CPACK_PACKAGE_VENDOR "Quarry")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${QUARRY_HOMEPAGE}")
# Program Files\Quarry on Windows.
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Quarry")
set(CPACK_PACKAGE_CHECKSUM SHA256)

# The installer's licence page. CPack's WIX generator turns a .txt into the RTF the dialog shows (it
# accepts .txt or .rtf only), so LICENSE goes in under that name; the text stays the one LICENSE.
configure_file("${PROJECT_SOURCE_DIR}/LICENSE" "${CMAKE_CURRENT_BINARY_DIR}/LICENSE.txt" COPYONLY)
set(CPACK_RESOURCE_FILE_LICENSE "${CMAKE_CURRENT_BINARY_DIR}/LICENSE.txt")

if(WIN32)
  set(CPACK_GENERATOR WIX)
  set(CPACK_PACKAGE_FILE_NAME "Quarry-${PROJECT_VERSION}-windows-x64")
elseif(APPLE)
  set(CPACK_GENERATOR DragNDrop)
  set(CPACK_PACKAGE_FILE_NAME "Quarry-${PROJECT_VERSION}-macos-${CMAKE_SYSTEM_PROCESSOR}")
endif()

include("${CMAKE_CURRENT_LIST_DIR}/windows/wix.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/macos/dmg.cmake")
include(CPack)
