// Known-answer vectors for the crypto suites: key=value lines from tests/data/crypto/<file>, '#' comments.
#pragma once

#include "common/bytes.h"

#include <fstream>
#include <map>
#include <stdexcept>
#include <string>

namespace hltest {

using hl::Bytes;
using hl::fromHex;

class Vectors {
public:
    explicit Vectors(const std::string& file)
    {
        const std::string path = std::string(HL_TEST_DATA) + "/crypto/" + file;
        std::ifstream in(path);
        if (!in)
            throw std::runtime_error("cannot open " + path);
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == '#')
                continue;
            const auto eq = line.find('=');
            if (eq != std::string::npos)
                m_values[line.substr(0, eq)] = line.substr(eq + 1);
        }
    }
    Bytes bytes(const std::string& key) const { return fromHex(text(key)); }
    std::string text(const std::string& key) const
    {
        const auto it = m_values.find(key);
        if (it == m_values.end())
            throw std::runtime_error("no test vector named " + key);
        return it->second;
    }

private:
    std::map<std::string, std::string> m_values;
};

} // namespace hltest
