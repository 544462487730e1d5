// Loading certificates and keys: the demo PKI compiled into the executable, and PEM files named on the
// command line. File access lives here, outside the engine.
#pragma once

#include "session/session.h"

#include <string>
#include <string_view>
#include <vector>

namespace hl::app {

// 4 MiB: far above any real certificate bundle, key or scenario, far below what would hurt.
constexpr std::size_t kMaxTextFileBytes = 4u << 20;

// The whole file, refused when larger than maxBytes (a PEM bundle of a few certificates is a few KiB).
// Throws std::runtime_error("cannot read PATH: reason") or naming the size limit.
std::string readTextFile(const std::string& path, std::size_t maxBytes = kMaxTextFileBytes);
// The demo PKI shipped in resources/pki (built into the executable), with its whole catalogue. Throws
// std::runtime_error if a file is missing.
const DemoPki& demoPki();
// Catalogue look-ups by the names resources/pki/README.md lists; null for an unknown name.
const Credential* demoCredential(std::string_view name);   // "server-rsa", "client-expired", "other-server"
const Certificate* demoCertificate(std::string_view name); // a CA: "root-ca", "intermediate-ca", "other-ca"
const Crl* demoCrl(std::string_view name);                 // "intermediate-ca", "intermediate-ca-stale"
std::vector<std::string> demoCredentialNames();
std::vector<std::string> demoCertificateNames();
std::vector<std::string> demoCrlNames();
// Every certificate in a PEM file, in order. Throws std::runtime_error naming the file and the problem.
std::vector<Certificate> loadCertificates(const std::string& path);
PrivateKey loadPrivateKey(const std::string& path);
// Every CRL in a PEM ("X509 CRL") or DER file. Throws std::runtime_error naming the file and the problem.
std::vector<Crl> loadCrls(const std::string& path);

} // namespace hl::app
