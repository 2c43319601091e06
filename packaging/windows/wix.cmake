# The MSI: CPack's WIX generator with WiX 3.14 (candle/light; MS-RL licensed). WiX 4/5 would also do,
# but WiX 6 and later come under the Open Source Maintenance Fee EULA, so the project stays on 3.x.
# Set on every OS (see ../cpack.cmake); only `cpack -G WIX` on Windows reads them.
set(CPACK_WIX_VERSION 3)
set(CPACK_WIX_ARCHITECTURE x64)

# NEVER CHANGE THIS GUID. Windows Installer knows every Quarry release by it: an MSI with the same
# UpgradeCode and a higher version replaces the installed one in place; a new code would install a
# second Quarry beside the first.
set(CPACK_WIX_UPGRADE_GUID "7BEA7EF3-BC5C-4B2F-9DD7-EC4D43021D1F")
# The ProductCode, one per version (product-code.cmake).
include("${CMAKE_CURRENT_LIST_DIR}/product-code.cmake")

# ALLUSERS=1: Program Files, the all-users Start menu and the system PATH (the template's Package).
set(CPACK_WIX_INSTALL_SCOPE perMachine)
# Our main.wxs; CPack writes the directory, file and feature sources from the install tree.
set(CPACK_WIX_TEMPLATE "${CMAKE_CURRENT_LIST_DIR}/WIX.template.in")
# Puts Program Files\Quarry\bin on the system PATH, with quarry.exe's component.
set(CPACK_WIX_PATCH_FILE "${CMAKE_CURRENT_LIST_DIR}/path-patch.xml")
set(CPACK_WIX_PRODUCT_ICON "${CMAKE_CURRENT_LIST_DIR}/quarry.ico")
# One page: the licence, then Install. The folder is Program Files\Quarry; administrators can still
# choose another: msiexec /i Quarry-….msi INSTALL_ROOT=D:\Apps\Quarry
set(CPACK_WIX_UI_REF WixUI_Minimal)

# Start menu: one entry "Quarry", straight in Programs (Windows 10/11 show no per-app folders), for
# quarryw.exe, the window-only twin of quarry.exe that opens no console (see app/CMakeLists.txt).
set(CPACK_PACKAGE_EXECUTABLES quarryw Quarry)
set(CPACK_WIX_PROGRAM_MENU_FOLDER ".")

# Add/Remove Programs: links, and no Modify button (there is one feature, nothing to modify).
set(CPACK_WIX_PROPERTY_ARPHELPLINK "${QUARRY_HOMEPAGE}")
set(CPACK_WIX_PROPERTY_ARPURLINFOABOUT "${QUARRY_HOMEPAGE}")
set(CPACK_WIX_PROPERTY_ARPNOMODIFY 1)
