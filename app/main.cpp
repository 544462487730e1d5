// Entry point: hands the arguments to the command line, which picks GUI or a headless subcommand.
#include "cli.h"

int main(int argc, char** argv)
{
    return hl::app::runMain(argc, argv);
}
