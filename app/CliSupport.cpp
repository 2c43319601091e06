// Shared pieces of the CLI commands.
#include "CliSupport.h"

#include "config/ConfigStore.h"
#include "config/ManifestParser.h"
#include "telemetry/HistoryDatabase.h"

#include <QFile>
#include <QSocketNotifier>
#include <QTextStream>

#include <cstdio>

#ifdef Q_OS_WIN
#include <windows.h>
#else
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace quarry::cli {

namespace {

// One line, one write: serve logs a line per request, and a QTextStream made for each (opening a
// QFile on the stream every time) cost more than formatting the line.
void writeLine(std::FILE *stream, const QString &line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

} // namespace

int fail(const QString &message)
{
    writeLine(stderr, u"error: "_s + message);
    return 1;
}

void say(const QString &line)
{
    writeLine(stdout, line);
}

void warn(const QString &line)
{
    writeLine(stderr, line);
}

void addConfigOption(QCommandLineParser &parser)
{
    parser.addOption({u"config"_s,
                      u"Configuration directory (default: $QUARRY_CONFIG_DIR or the platform's)."_s,
                      u"dir"_s});
}

namespace {

// The option's value when given, else what the environment or platform says.
QString directoryOption(const QCommandLineParser &parser, const QString &option, QString (*fallback)())
{
    return parser.isSet(option) ? parser.value(option) : fallback();
}

} // namespace

QString configDir(const QCommandLineParser &parser)
{
    return directoryOption(parser, u"config"_s, config::ConfigStore::defaultConfigDir);
}

void addDataDirOption(QCommandLineParser &parser)
{
    parser.addOption({u"data-dir"_s,
                      u"Data directory, where history.sqlite is (default: $QUARRY_DATA_DIR or the platform's)."_s,
                      u"dir"_s});
}

QString dataDir(const QCommandLineParser &parser)
{
    return directoryOption(parser, u"data-dir"_s, telemetry::defaultDataDir);
}

namespace {

QCoreApplication *signalledApp = nullptr;
std::function<void()> beforeSignalQuit;

void quitFromSignal()
{
    if (beforeSignalQuit)
        beforeSignalQuit();
    // exit(), not quit(): Qt 6's quit() first asks every window to close, and the window with a
    // tray icon declines (closing it only hides it), which would leave a SIGTERM unanswered.
    QCoreApplication::exit(0);
}

#ifdef Q_OS_WIN
// Runs on a thread of its own: the quit is queued to the event loop's thread.
BOOL WINAPI onConsoleEvent(DWORD)
{
    QMetaObject::invokeMethod(signalledApp, quitFromSignal, Qt::QueuedConnection);
    return TRUE;
}
#else
int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}
#endif

} // namespace

void quitOnSignals(QCoreApplication &app, std::function<void()> beforeQuit)
{
    signalledApp = &app;
    beforeSignalQuit = std::move(beforeQuit);
#ifdef Q_OS_WIN
    SetConsoleCtrlHandler(onConsoleEvent, TRUE);
#else
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [] {
        char byte = 0;
        [[maybe_unused]] const auto got = ::read(signalPipe[0], &byte, 1);
        quitFromSignal();
    });
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
#endif
}

void addNamespaceOption(QCommandLineParser &parser)
{
    parser.addOption(
        {{u"n"_s, u"namespace"_s}, u"Namespace (default: agentgateway-system)."_s, u"namespace"_s});
}

QString namespaceOf(const QCommandLineParser &parser)
{
    return parser.isSet(u"namespace"_s) ? parser.value(u"namespace"_s) : config::kDefaultNamespace;
}

Result<QList<config::Resource>> readManifestFiles(const QStringList &files)
{
    QList<config::Resource> all;
    for (const QString &file : files) {
        QFile input;
        const bool opened = file == u"-"_s ? input.open(stdin, QIODevice::ReadOnly)
                                           : (input.setFileName(file), input.open(QIODevice::ReadOnly));
        if (!opened)
            return Result<QList<config::Resource>>::failure(
                u"cannot read %1: %2"_s.arg(file, input.errorString()));
        const auto parsed = config::parseManifests(input.readAll());
        if (!parsed.ok())
            return Result<QList<config::Resource>>::failure(
                file == u"-"_s ? parsed.error() : u"%1: %2"_s.arg(file, parsed.error()));
        all += *parsed;
    }
    return all;
}

std::optional<ListenAddress> parseListenAddress(const QString &text)
{
    QString host;
    QString portText = text;
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon >= 0) {
        host = text.left(colon);
        portText = text.mid(colon + 1);
    }
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint port = portText.toUInt(&ok);
    if (!ok || port > 65535)
        return std::nullopt;
    ListenAddress result;
    result.port = quint16(port);
    if (host.isEmpty() || host == u"localhost"_s)
        result.address = QHostAddress(QHostAddress::LocalHost);
    else if (!result.address.setAddress(host))
        return std::nullopt;
    return result;
}

bool parseSubcommand(QCommandLineParser &parser, const QStringList &arguments, QString *error)
{
    parser.addHelpOption();
    // QCommandLineParser expects the program name first.
    QStringList argv = arguments;
    argv.prepend(u"quarry"_s);
    if (!parser.parse(argv)) {
        *error = parser.errorText();
        return false;
    }
    if (parser.isSet(u"help"_s)) {
        QTextStream(stdout) << parser.helpText();
        std::exit(0);
    }
    return true;
}

} // namespace quarry::cli
