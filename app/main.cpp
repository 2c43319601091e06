// Entry point: dispatches the command line (DESIGN.md §4).
#include "CliSupport.h"
#include "Commands.h"

#include <QCoreApplication>

#include <cstring>

using namespace Qt::StringLiterals;

namespace {

const char *const Usage = R"(Quarry: a local AI gateway in front of Amazon Bedrock.

Usage:
  quarry [gui] [--config DIR]      open the desktop window (headless: serve, simulator if needed)
  quarry serve [--config DIR] [--listen HOST:PORT] [--simulate | --simulate-if-needed]
  quarry apply -f FILE|- [--dry-run=client|server]
  quarry diff -f FILE|-
  quarry get gateways|routes|backends|configmaps|secrets [NAME] [-n NS | -A] [-o yaml|json|name]
  quarry delete KIND NAME [-n NS] | -f FILE|- [--ignore-not-found]
  quarry create secret generic NAME --from-literal=KEY=VALUE ... [-n NS]
  quarry auth check [BACKEND] [-n NS]
  quarry keys create NAME | list | revoke NAME      client keys (required off loopback)
  quarry chat [--route /bedrock] [--model ID] [--api openai|anthropic|responses] [--stream]
              [--system TEXT] [--url URL] PROMPT|-       ask the running gateway (key: $QUARRY_API_KEY)
  quarry history [--since 1h|2d|DATE] [--route R] [--model M] [--status 200|4xx|5xx] [--search TEXT]
                 [-o table|json|csv] [-f] [--limit N]       requests the gateway handled
  quarry history stats --by model|route|day [filters]    totals of requests, tokens and cost
  quarry export --target agentgateway|kgateway-v2.2|kgateway-v2.1 [-n NS] [-o FILE|DIR]
                [--secrets=manifest|kubectl]
  quarry simulator [--listen HOST:PORT] [--identity ID:SECRET] [--api-key KEY]
  quarry --version | --help

Point your tools at http://localhost:8080/bedrock (OpenAI chat completions).
Every command takes --help.
)";

} // namespace

int main(int argc, char **argv)
{
    // The window needs a QApplication, the commands only a QCoreApplication: decide first.
    const bool gui = argc < 2 || std::strcmp(argv[1], "gui") == 0 || std::strcmp(argv[1], "--config") == 0
                     || std::strncmp(argv[1], "--config=", 9) == 0;
    if (gui)
        return quarry::cli::runGui(argc, argv);

    QCoreApplication app(argc, argv);
    // No organization: the config lives in ~/.config/quarry (and the platforms' equivalents).
    QCoreApplication::setApplicationName(u"quarry"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(QUARRY_VERSION));

    QStringList arguments = QCoreApplication::arguments().mid(1);
    const QString command = arguments.isEmpty() ? QString() : arguments.takeFirst();
    using namespace quarry::cli;
    if (command == u"serve"_s)
        return runServe(app, arguments);
    if (command == u"apply"_s)
        return runApply(arguments);
    if (command == u"get"_s)
        return runGet(arguments);
    if (command == u"delete"_s)
        return runDelete(arguments);
    if (command == u"diff"_s)
        return runDiff(arguments);
    if (command == u"create"_s)
        return runCreate(arguments);
    if (command == u"export"_s)
        return runExport(arguments);
    if (command == u"simulator"_s)
        return runSimulator(app, arguments);
    if (command == u"auth"_s)
        return runAuth(app, arguments);
    if (command == u"keys"_s)
        return runKeys(arguments);
    if (command == u"chat"_s)
        return runChat(app, arguments);
    if (command == u"history"_s)
        return runHistory(app, arguments);
    if (command == u"--version"_s || command == u"version"_s) {
        say(u"quarry "_s + QCoreApplication::applicationVersion());
        return 0;
    }
    if (command == u"--help"_s || command == u"-h"_s || command == u"help"_s) {
        std::fputs(Usage, stdout);
        return 0;
    }
    std::fputs(Usage, stderr);
    return fail(u"unknown command \"%1\""_s.arg(command));
}
