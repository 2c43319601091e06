# Writes the CPack settings an MSI is built from as JSON, for wix_layout.py and check_msi.py: every
# CPACK_* variable of a build's CPackConfig.cmake (the file `cpack -G WIX` reads), optionally for
# another version, whose ProductCode packaging/windows/product-code.cmake derives as for a release.
#   cmake -DCPACK_CONFIG=<build>/CPackConfig.cmake -DOUTPUT=<file.json>
#         [-DVERSION=0.2.0 -DSOURCE_DIR=<checkout>] -P wix_config.cmake
cmake_minimum_required(VERSION 3.21)
set(required CPACK_CONFIG OUTPUT)
if(DEFINED VERSION)
  list(APPEND required SOURCE_DIR)
endif()
foreach(var IN LISTS required)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "wix_config.cmake: -D${var}=… is required")
  endif()
endforeach()
include("${CPACK_CONFIG}")
if(DEFINED VERSION)
  set(CPACK_PACKAGE_VERSION "${VERSION}")
  include("${SOURCE_DIR}/packaging/windows/product-code.cmake")
endif()

set(json "{}")
get_cmake_property(names VARIABLES)
list(FILTER names INCLUDE REGEX "^CPACK_")
foreach(name IN LISTS names)
  # JSON-escape the value: backslashes, quotes, and the control characters CMake lets through.
  string(REPLACE "\\" "\\\\" value "${${name}}")
  string(REPLACE "\"" "\\\"" value "${value}")
  string(REPLACE "\n" "\\n" value "${value}")
  string(REPLACE "\t" "\\t" value "${value}")
  string(JSON json SET "${json}" "${name}" "\"${value}\"")
endforeach()
file(WRITE "${OUTPUT}" "${json}\n")
