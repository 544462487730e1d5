// Reading the files tests check against: the demo PKI as shipped in resources/pki, and the project's own test data.
#pragma once

#include "pki.h"

#include <string>

namespace hltest {

inline std::string resource(const std::string& name)
{
    return hl::app::readTextFile(std::string(HL_RESOURCES) + "/pki/" + name);
}

inline std::string testData(const std::string& name)
{
    return hl::app::readTextFile(std::string(HL_TEST_DATA) + "/x509/" + name);
}

} // namespace hltest
