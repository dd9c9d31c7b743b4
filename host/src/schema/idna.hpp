// Internationalised domain names (IDNA2008): the rules the hostname, idn-hostname and idn-email formats apply
// to labels. Punycode (RFC 3492) turns "xn--" A-labels into the Unicode U-labels they stand for and back;
// RFC 5892's code point rules and contextual rules decide whether a U-label is allowed, and RFC 5893's Bidi
// rule whether a name mixing right-to-left and left-to-right labels is. Unicode facts (general categories,
// scripts) come from RE2's tables; a few RFC 5892 exceptions are listed here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpd::schema::detail {

/// The code points an A-label's part after "xn--" encodes; nullopt when it is not valid Punycode.
std::optional<std::u32string> punycode_decode(std::string_view encoded);

/// The Punycode encoding of `label` (without "xn--"); nullopt on overflow.
std::optional<std::string> punycode_encode(std::u32string_view label);

/// A U-label IDNA2008 allows: no leading or trailing hyphen, no "--" in the third and fourth positions, no
/// combining mark first, only PVALID code points, and CONTEXTJ/CONTEXTO ones only where their rule holds.
bool is_valid_u_label(std::u32string_view label);

/// RFC 5893: in a name with any right-to-left label, every label satisfies the Bidi rule.
bool satisfies_bidi_rule(const std::vector<std::u32string>& labels);

}  // namespace mcpd::schema::detail
