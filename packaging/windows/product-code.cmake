# The MSI's ProductCode: a new one for each version (a new version is a new product, which the
# template's MajorUpgrade installs in place of the old), derived from the version instead of drawn at
# random so that building a release twice gives the same MSI identity. Needs CPACK_WIX_UPGRADE_GUID
# and CPACK_PACKAGE_VERSION; tests/packaging/wix_config.cmake includes it too, for other versions.
string(UUID CPACK_WIX_PRODUCT_GUID NAMESPACE "${CPACK_WIX_UPGRADE_GUID}" NAME "Quarry ${CPACK_PACKAGE_VERSION}"
  TYPE SHA1 UPPER)
