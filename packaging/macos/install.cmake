# macOS install tree: Quarry.app, which the DMG carries (included by app/CMakeLists.txt).
#   Quarry.app/Contents/MacOS/quarry       the program: double-click opens the window, and the CLI
#                                          runs it by that path (or a symlink to it)
#   Quarry.app/Contents/Info.plist         from Info.plist.in and bundle.cmake (info-plist.cmake)
#   Quarry.app/Contents/Resources/         quarry.icns, LICENSE, THIRD_PARTY_NOTICES.md
#   Quarry.app/Contents/Frameworks, PlugIns   Qt and the Homebrew libraries, from macdeployqt
#
# The bundle is assembled here rather than built as a MACOSX_BUNDLE target: CMake names a bundle
# after its executable (quarry.app/Contents/MacOS/quarry, or Quarry.app/…/Quarry), and on the default
# case-insensitive APFS the two spellings cannot both exist. The build tree keeps a plain
# build/quarry, the one ./dev and the tests run on every OS.
set(QUARRY_INFO_PLIST "${CMAKE_CURRENT_BINARY_DIR}/Info.plist")
include("${CMAKE_CURRENT_LIST_DIR}/info-plist.cmake")

install(TARGETS quarry RUNTIME DESTINATION "Quarry.app/Contents/MacOS")
install(FILES "${QUARRY_INFO_PLIST}" DESTINATION "Quarry.app/Contents")
install(FILES "${CMAKE_CURRENT_LIST_DIR}/${QUARRY_BUNDLE_ICON}"
  "${PROJECT_SOURCE_DIR}/LICENSE" "${PROJECT_SOURCE_DIR}/THIRD_PARTY_NOTICES.md"
  DESTINATION "Quarry.app/Contents/Resources")

# macdeployqt (through Qt's deploy API, Qt 6.5+) copies the Qt frameworks and plugins and every
# non-system library the program loads (QtKeychain, yaml-cpp, OpenSSL from Homebrew) into the
# bundle and points the references at them. The content has no ${} so that Qt < 6.12, whose
# qt_generate_deploy_script re-evaluates it (policy QTP0008), writes it unchanged.
qt_generate_deploy_script(TARGET quarry OUTPUT_SCRIPT quarry_deploy_script CONTENT "
qt_deploy_runtime_dependencies(EXECUTABLE Quarry.app NO_TRANSLATIONS)
")
install(SCRIPT "${quarry_deploy_script}")
# macdeployqt rewrote the binaries, which voids their signatures, and arm64 macOS runs only signed
# code: sign the whole bundle ad hoc (no identity; Gatekeeper still asks on first open).
install(CODE "execute_process(COMMAND codesign --force --deep --sign - \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/Quarry.app\"
  COMMAND_ERROR_IS_FATAL ANY)")
