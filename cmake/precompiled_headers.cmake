# Precompiled headers for the targets with many C++ sources, in clang builds.
#
# Why: compiling is most of every CI run, and the ASan+UBSan build (clang) is the longest of its three
# builds. With Boost.JSON, Catch2 and the common standard headers precompiled once per target, clang
# compiled the same 230 objects of that build in 394 s of CPU instead of 675 s (CI runs on 2 cores).
# GCC gains nothing worth having: 6% less CPU per object, paid back by 158 s of writing its 110 MB
# .gch files (22 of them), and the ordinary CI build took 803 s instead of 770 s. GCC 12 also reports
# false -Warray-bounds/-Wstringop-* findings inside libstdc++'s std::string once the headers change
# what it inlines. So the default is on for clang only; -DMCPD_PCH=ON asks for it with GCC too.
#
# Only headers that no source configures with a macro first (so not <httplib.h>, which some files
# include with CPPHTTPLIB_OPENSSL_SUPPORT) and only C++ sources. A target with fewer sources than
# MCPD_PCH_MIN_SOURCES gains nothing (the header is compiled once either way) and is left alone, and
# so is the one that defines CATCH_CONFIG_MAIN. A header missing from a file's own includes is still
# caught by the GCC builds, which compile every file without them.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(mcpd_pch_default ON)
else()
  set(mcpd_pch_default OFF)
endif()
option(MCPD_PCH "Precompile the common headers of targets with many C++ sources (default: clang only)"
       ${mcpd_pch_default})
set(MCPD_PCH_MIN_SOURCES 3 CACHE STRING "Fewest C++ sources a target needs to get precompiled headers")

set(mcpd_pch_common_headers
    <algorithm> <chrono> <cstdint> <functional> <map> <memory> <mutex> <optional> <string>
    <string_view> <unordered_map> <utility> <vector> <boost/json.hpp>)
set(mcpd_pch_test_headers <catch2/catch.hpp>)

# The C++ sources a target compiles itself.
function(mcpd_pch_cxx_source_count target out)
  get_target_property(sources ${target} SOURCES)
  set(count 0)
  foreach(source IN LISTS sources)
    if(source MATCHES "\\.(cpp|cc|cxx)$")
      math(EXPR count "${count} + 1")
    endif()
  endforeach()
  set(${out} ${count} PARENT_SCOPE)
endfunction()

function(mcpd_pch_apply_in directory)
  get_property(targets DIRECTORY ${directory} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(NOT type MATCHES "^(EXECUTABLE|STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|OBJECT_LIBRARY)$"
       OR target STREQUAL "mcpd_catch_main")
      continue()
    endif()
    mcpd_pch_cxx_source_count(${target} count)
    if(count LESS MCPD_PCH_MIN_SOURCES)
      continue()
    endif()
    set(headers ${mcpd_pch_common_headers})
    get_target_property(links ${target} LINK_LIBRARIES)
    if(links MATCHES "(^|;)(mcpd_catch_main|Catch2::Catch2)(;|$)")
      list(APPEND headers ${mcpd_pch_test_headers})
    endif()
    list(TRANSFORM headers PREPEND "$<$<COMPILE_LANGUAGE:CXX>:")
    list(TRANSFORM headers APPEND ">")
    target_precompile_headers(${target} PRIVATE ${headers})
  endforeach()
  get_property(children DIRECTORY ${directory} PROPERTY SUBDIRECTORIES)
  foreach(child IN LISTS children)
    mcpd_pch_apply_in(${child})
  endforeach()
endfunction()

# Called once, after every target is defined.
function(mcpd_precompile_common_headers)
  if(MCPD_PCH)
    mcpd_pch_apply_in(${PROJECT_SOURCE_DIR})
  endif()
endfunction()
