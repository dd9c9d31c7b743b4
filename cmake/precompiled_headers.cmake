# Precompiled headers for the targets with many C++ sources.
#
# Why: compiling is most of every CI run (three builds: ordinary, ASan, TSan). Parsing
# <boost/json.hpp> alone takes 2.2 s per file at -O2 and Catch2's header 1.5 s, in files that take
# 3 to 10 s in all; 449 objects took 1512 s of CPU in one clean CI build. A target with several
# sources parses these headers once instead of once per file.
#
# Only headers that no source configures with a macro first (so not <httplib.h>, which some files
# include with CPPHTTPLIB_OPENSSL_SUPPORT) and only C++ sources. A target with fewer sources than
# MCPD_PCH_MIN_SOURCES gains nothing (the header is compiled once either way) and is left alone, and
# so is the one that defines CATCH_CONFIG_MAIN.
option(MCPD_PCH "Precompile the common headers of targets with many C++ sources" ON)
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
