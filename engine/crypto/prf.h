// The TLS pseudo-random function: the one way every TLS 1.2 secret is stretched into keys (RFC 5246 §5).
#pragma once

#include "common/bytes.h"
#include "crypto/cipher_suite.h"

#include <cstddef>
#include <string_view>

namespace hl {

// RFC 5246 §5: PRF(secret, label, seed) = P_<hash>(secret, label + seed), cut to `length` bytes.
// The hash is the suite's PRF hash (SHA-256 unless the suite names SHA-384).
Bytes prf(HashAlgorithm hash, ByteView secret, std::string_view label, ByteView seed, std::size_t length);

// RFC 2246 §5 (TLS 1.0, unchanged in TLS 1.1): P_MD5 over the first half of the secret XOR P_SHA-1 over the
// second half; the halves share the middle byte when the secret has odd length.
Bytes prfTls10(ByteView secret, std::string_view label, ByteView seed, std::size_t length);

} // namespace hl
