// Event kind names shared by every serialisation of the trace.
#include "trace/trace.h"

namespace hl {

const char* eventKind(const TraceEvent& e)
{
    struct Visitor {
        const char* operator()(const RecordEvent&) const { return "record"; }
        const char* operator()(const SecretEvent&) const { return "secret"; }
        const char* operator()(const CertificateCheckEvent&) const { return "certificate_check"; }
        const char* operator()(const CertificateChainEvent&) const { return "certificate_chain"; }
        const char* operator()(const StateEvent&) const { return "state"; }
        const char* operator()(const SkippedStepEvent&) const { return "skipped"; }
        const char* operator()(const AlertEvent&) const { return "alert"; }
        const char* operator()(const ApplicationDataEvent&) const { return "application_data"; }
    };
    return std::visit(Visitor{}, e);
}

} // namespace hl
