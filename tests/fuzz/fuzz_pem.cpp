// PEM text as a user's --cert, --ca or --crl file would give it: labels, base64, certificate chains and CRL
// bundles. Only the documented exceptions may leave.
#include "x509/certificate.h"
#include "x509/crl.h"
#include "x509/pem.h"

#include <stdexcept>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace hl;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        (void)pemLabels(text);
        (void)pemDecodeAll(text, "CERTIFICATE");
    } catch (const std::invalid_argument&) {
    } catch (const TlsError&) {
    }
    try {
        (void)parseCertificatesPem(text);
    } catch (const std::invalid_argument&) {
    } catch (const TlsError&) {
    }
    try {
        (void)parseCrlsPem(text);
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
