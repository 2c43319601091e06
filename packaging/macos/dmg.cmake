# The DMG: CPack's DragNDrop generator over the install tree, which on macOS is Quarry.app alone
# (install.cmake). Set on every OS (see ../cpack.cmake); only `cpack -G DragNDrop` reads them.
set(CPACK_DMG_VOLUME_NAME "Quarry ${PROJECT_VERSION}")
set(CPACK_DMG_FORMAT UDZO)
# An /Applications link beside Quarry.app, to drag it onto (DragNDrop's default, kept explicit).
set(CPACK_DMG_DISABLE_APPLICATIONS_SYMLINK OFF)
# No licence agreement on mount: it would stop `hdiutil attach` in scripts, and Apple has deprecated
# DMG licence resources. The licence is inside the app (Contents/Resources).
set(CPACK_DMG_SLA_USE_RESOURCE_FILE_LICENSE OFF)
