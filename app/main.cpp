// Entry point: dispatches the command line (see DESIGN.md §4).
#include <QCoreApplication>
#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::puts("quarry " QUARRY_VERSION);
    return 0;
}
