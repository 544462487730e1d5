// DER certificates and CRLs: parse, then describe for the Certificates panel. Malformed input must end in the
// documented exceptions (TlsError for certificates, std::invalid_argument for CRLs) and nothing else.
#include "x509/certificate.h"
#include "x509/crl.h"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace hl;
    const ByteView der(data, size);
    try {
        const Certificate c = Certificate::parse(der);
        (void)c.describe();
        (void)c.isSelfIssued();
    } catch (const TlsError&) {
    }
    try {
        const Crl crl = Crl::parse(der);
        (void)crl.summary();
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
