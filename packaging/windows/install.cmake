# Windows install tree, which the MSI carries (included by app/CMakeLists.txt), under INSTALL_ROOT:
#   bin/quarry.exe     console program: the CLI prints in the terminal it runs in, `quarry` opens
#                      the window from there; the PATH entry (path-patch.xml) points here
#   bin/quarryw.exe    the same program linked for the GUI subsystem: the Start-menu entry
#   bin/*.dll, bin/<plugin type>/*.dll   Qt (windeployqt), QtKeychain, yaml-cpp, OpenSSL, zlib, MSVC runtime
#   share/doc/quarry/  LICENSE, THIRD_PARTY_NOTICES.md (resources/CMakeLists.txt)
# expected-files.txt lists what must be there; release-windows.yml checks the real tree against it
# and tests/packaging/check_wix.sh builds its stand-in MSI from it.
#
# Two executables because Windows fixes the subsystem at link time: a console program started from
# Explorer gets a console window (FreeConsole() at start still flashes one, a Terminal tab on
# Windows 11), and a GUI one has no stdout in a terminal, which does not wait for it either. Python
# (python.exe/pythonw.exe) and Java (java.exe/javaw.exe) ship the same pair.
add_executable(quarryw WIN32 ${QUARRY_APP_SOURCES})
target_link_libraries(quarryw PRIVATE quarry_core quarry_ui)
set_target_properties(quarryw PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}")
# The same main() as quarry.exe: the C runtime's console entry calls it in a GUI-subsystem program
# too, with or without Qt's WinMain shim.
target_link_options(quarryw PRIVATE $<$<CXX_COMPILER_ID:MSVC>:/ENTRY:mainCRTStartup>)

# The icon (Explorer, taskbar) and version information (file properties, Task Manager).
set(QUARRY_ICO "${CMAKE_CURRENT_LIST_DIR}/quarry.ico")
configure_file("${CMAKE_CURRENT_LIST_DIR}/quarry.rc.in" "${CMAKE_CURRENT_BINARY_DIR}/quarry.rc" @ONLY)
target_sources(quarry PRIVATE "${CMAKE_CURRENT_BINARY_DIR}/quarry.rc")
target_sources(quarryw PRIVATE "${CMAKE_CURRENT_BINARY_DIR}/quarry.rc")

# Where the DLLs of the packages live: Qt's bin, and bin beside each prefix the build searched
# (QtKeychain's install prefix; vcpkg's installed tree).
set(quarry_dll_dirs)
foreach(prefix IN LISTS CMAKE_PREFIX_PATH)
  list(APPEND quarry_dll_dirs "${prefix}/bin")
endforeach()
if(DEFINED VCPKG_INSTALLED_DIR AND DEFINED VCPKG_TARGET_TRIPLET)
  list(APPEND quarry_dll_dirs "${VCPKG_INSTALLED_DIR}/${VCPKG_TARGET_TRIPLET}/bin")
endif()

# The executables and every DLL they link that is not Windows' own (QtKeychain, yaml-cpp, libcrypto,
# zlib, Qt), found at install time by file(GET_RUNTIME_DEPENDENCIES); a DLL it cannot find fails the
# install.
install(TARGETS quarry quarryw RUNTIME_DEPENDENCY_SET quarry_dlls RUNTIME DESTINATION bin)
install(RUNTIME_DEPENDENCY_SET quarry_dlls DESTINATION bin
  PRE_EXCLUDE_REGEXES "^api-ms-" "^ext-ms-"
  POST_EXCLUDE_REGEXES "[/\\\\][Ww][Ii][Nn][Dd][Oo][Ww][Ss][/\\\\]"
  DIRECTORIES "$<TARGET_FILE_DIR:Qt6::Core>" ${quarry_dll_dirs})

# Qt's OpenSSL TLS backend (bin/tls/qopensslbackend.dll) loads libssl by name at run time, so no
# link lists it; libcrypto comes with the set above.
find_file(QUARRY_LIBSSL_DLL NAMES libssl-3-x64.dll PATHS ${quarry_dll_dirs} NO_DEFAULT_PATH REQUIRED)
install(FILES "${QUARRY_LIBSSL_DLL}" DESTINATION bin)

# The MSVC runtime (msvcp140, vcruntime140, vcruntime140_1) beside the program, which Microsoft
# allows for app-local use, so the MSI needs no VC++ redistributable.
set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION bin)
include(InstallRequiredSystemLibraries)

# windeployqt (through Qt's deploy API, Qt 6.5+): the Qt DLLs and plugins the two programs use,
# plugins beside them in bin/<type>/ where Qt looks by default, so no qt.conf. No translations
# (the UI is English), no compiler runtime (above), no D3D compiler or software OpenGL (widgets
# paint with the raster engine). No ${} in the content: see packaging/macos/install.cmake.
qt_generate_deploy_script(TARGET quarry OUTPUT_SCRIPT quarry_deploy_script CONTENT "
qt_deploy_runtime_dependencies(
  EXECUTABLE bin/quarry.exe
  ADDITIONAL_EXECUTABLES bin/quarryw.exe
  PLUGINS_DIR bin
  NO_TRANSLATIONS
  NO_COMPILER_RUNTIME
  DEPLOY_TOOL_OPTIONS --no-system-d3d-compiler --no-opengl-sw)
")
install(SCRIPT "${quarry_deploy_script}")
