// PEM armour (RFC 7468): base64 DER between -----BEGIN label----- and -----END label----- lines.
#pragma once

#include "common/bytes.h"

#include <string>
#include <string_view>
#include <vector>

namespace hl {

// The DER of every block labelled `label` ("CERTIFICATE", "PRIVATE KEY"), in file order. Text outside blocks
// and blocks with other labels are skipped (RFC 7468 §2 allows explanatory text). Throws std::invalid_argument
// naming the problem: no such block, a block without END, an END with another label, bad base64, or RFC 1421
// headers such as those of an encrypted key.
std::vector<Bytes> pemDecodeAll(std::string_view text, std::string_view label);

// The labels of all BEGIN lines, in order (to tell a key's format before decoding it).
std::vector<std::string> pemLabels(std::string_view text);

// One block with 64-character lines, ending in a newline (RFC 7468 §2 "strict" form).
std::string pemEncode(ByteView der, std::string_view label);

} // namespace hl
