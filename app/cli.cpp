#include "cli.h"

#include <cstdio>

namespace hl::app {
int runMain(int, char**)
{
    std::puts("HandshakeLab");
    return 0;
}
} // namespace hl::app
