// Shared pieces of the CLI commands: the config directory, error output, listen addresses.
#pragma once

#include "config/Resources.h"
#include "util/Result.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QString>

#include <functional>
#include <optional>

namespace quarry::cli {

// Every command exits non-zero with one clear line on stderr when it fails.
int fail(const QString &message);
void say(const QString &line);  // a line on stdout
void warn(const QString &line); // a line on stderr

// --config DIR > QUARRY_CONFIG_DIR > the platform's app config location.
void addConfigOption(QCommandLineParser &parser);
QString configDir(const QCommandLineParser &parser);

// --data-dir DIR > QUARRY_DATA_DIR > the platform's data location (history.sqlite lives there).
void addDataDirOption(QCommandLineParser &parser);
QString dataDir(const QCommandLineParser &parser);

// SIGINT/SIGTERM (Ctrl+C, Ctrl+Break, closing the console on Windows) become a normal event-loop
// quit: beforeQuit runs first, on the event loop's thread.
void quitOnSignals(QCoreApplication &app, std::function<void()> beforeQuit = {});

// -n/--namespace; default agentgateway-system (config::kDefaultNamespace).
void addNamespaceOption(QCommandLineParser &parser);
QString namespaceOf(const QCommandLineParser &parser);

struct ListenAddress
{
    QHostAddress address;
    quint16 port = 0;
};
// "127.0.0.1:8080", "[::1]:8080", "localhost:9000", ":9000" (loopback), "9000".
std::optional<ListenAddress> parseListenAddress(const QString &text);

// The manifests in every -f FILE ("-" is standard input), in order; fails on the first file that
// cannot be read or parsed, naming it.
Result<QList<config::Resource>> readManifestFiles(const QStringList &files);

// Parses argv for a subcommand: arguments start after "quarry <command>".
bool parseSubcommand(QCommandLineParser &parser, const QStringList &arguments, QString *error);

} // namespace quarry::cli
