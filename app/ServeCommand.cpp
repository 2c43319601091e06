// `quarry serve`: the gateway without a window, logging one line per request.
#include "Commands.h"
#include "CliSupport.h"

#include "gateway/GatewayService.h"
#include "http/ServerOptions.h"
#include "secrets/KeychainSecretStore.h"
#include "telemetry/HistoryDatabase.h"
#include "telemetry/HistoryStore.h"
#include "util/EscapeControl.h"

#include <QCoreApplication>
#include <QUrl>


using namespace Qt::StringLiterals;

namespace quarry::cli {

namespace {

// Everything serve prints may quote client or config text: one line each, no terminal controls.
// (Request lines come escaped from TrafficRecord::toLogLine.)
void log(const QString &line)
{
    warn(util::escapeControl(line));
}

// --allow-origin adds to QUARRY_ALLOWED_ORIGINS, the one setting the listener reads
// (http::ServerOptions::environmentAllowedOrigins), so both spellings mean the same.
void addAllowedOrigins(const QStringList &origins)
{
    QByteArrayList all = http::ServerOptions::environmentAllowedOrigins();
    for (const QString &origin : origins)
        all.append(origin.trimmed().toUtf8());
    qputenv("QUARRY_ALLOWED_ORIGINS", all.join(','));
}

} // namespace

int runServe(QCoreApplication &app, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Serve the gateway on localhost (default 127.0.0.1:8080)."_s);
    addConfigOption(parser);
    addDataDirOption(parser);
    parser.addOption({u"listen"_s, u"Address to listen on, e.g. 127.0.0.1:8080 (overrides the Gateway)."_s,
                      u"host:port"_s});
    parser.addOption({u"simulate"_s, u"Answer with the built-in Bedrock simulator instead of AWS."_s});
    parser.addOption({u"simulate-if-needed"_s,
                      u"Use the simulator for each backend that has no usable AWS credentials (until it has)."_s});
    parser.addOption({u"allow-origin"_s,
                      u"Let web pages from ORIGIN (exactly, e.g. http://localhost:3000) call the gateway; "
                      "repeatable. Adds to $QUARRY_ALLOWED_ORIGINS (comma-separated)."_s,
                      u"origin"_s});
    QString error;
    if (!parseSubcommand(parser, arguments, &error))
        return fail(error);
    for (const QString &origin : parser.values(u"allow-origin"_s)) {
        if (!http::ServerOptions::isOrigin(origin))
            return fail(
                u"--allow-origin takes an origin such as http://localhost:3000, not '%1'"_s.arg(origin));
    }
    addAllowedOrigins(parser.values(u"allow-origin"_s));

    gateway::GatewayOptions options;
    options.configDir = configDir(parser);
    if (parser.isSet(u"listen"_s)) {
        const auto listen = parseListenAddress(parser.value(u"listen"_s));
        if (!listen)
            return fail(u"--listen takes HOST:PORT, e.g. 127.0.0.1:8080, not '%1'"_s.arg(parser.value(u"listen"_s)));
        options.listenAddress = listen->address;
        options.listenPort = listen->port;
    }
    if (parser.isSet(u"simulate"_s))
        options.simulation = gateway::GatewayOptions::Simulation::On;
    else if (parser.isSet(u"simulate-if-needed"_s))
        options.simulation = gateway::GatewayOptions::Simulation::IfNeeded;

    options.historyPath = telemetry::historyPath(dataDir(parser)); // budgets count what history holds
    secrets::KeychainSecretStore keychain;
    gateway::GatewayService service(options, keychain);
    int exitCode = 0;
    QObject::connect(&service, &gateway::GatewayService::notice, &app,
                     [](const QString &message) { log(message); });
    QObject::connect(&service, &gateway::GatewayService::started, &app, [&](const QString &address) {
        const auto snapshot = service.snapshot();
        log(u"Quarry %1 listening on http://%2 (config %3)"_s.arg(QStringLiteral(QUARRY_VERSION), address,
                                                                  options.configDir));
        for (const auto &route : snapshot->resources.routes) {
            for (const auto &rule : route.rules) {
                for (const auto &match : rule.matches)
                    log(u"  route %1/%2: http://%3%4"_s.arg(route.meta.ns, route.meta.name, address,
                                                            match.path.value));
            }
        }
    });
    QObject::connect(&service, &gateway::GatewayService::startFailed, &app, [&](const QString &message) {
        exitCode = fail(message);
        app.exit(exitCode);
    });
    QObject::connect(service.traffic(), &telemetry::TrafficSink::delivered, &app,
                     [](const QList<telemetry::SharedTrafficRecord> &batch) {
                         QStringList lines;
                         lines.reserve(batch.size());
                         for (const telemetry::SharedTrafficRecord &record : batch)
                             lines.append(record->toLogLine());
                         warn(lines.join(u'\n'));
                     });
    QObject::connect(service.traffic(), &telemetry::TrafficSink::budgetAlert, &app,
                     [](const telemetry::BudgetAlert &alert) {
                         warn((alert.exceeded() ? u"budget spent: "_s : u"budget warning: "_s) + alert.text());
                     });
    // History is written on its own thread: publish() only queues, on the worker that finished the
    // request. A problem with the file is one log line (and one more when it is over).
    telemetry::HistoryStore history(options.historyPath);
    QObject::connect(service.traffic(), &telemetry::TrafficSink::recorded, &history,
                     [&history](const telemetry::SharedTrafficRecord &record) { history.publish(record); },
                     Qt::DirectConnection);
    QObject::connect(&history, &telemetry::HistoryStore::problemChanged, &app, [&history](const QString &problem) {
        log(problem.isEmpty() ? u"history: writing to %1 again"_s.arg(history.path())
                              : problem + u" (requests are still served; trying again)"_s);
    });

    quitOnSignals(app, [] { log(u"shutting down"_s); });
    service.start();
    // A start that failed at once (a refused or busy listen address) said so before the event loop
    // ran, when app.exit() does nothing: exit here rather than serve nothing forever.
    if (exitCode) {
        service.stop();
        return exitCode;
    }
    const int loopResult = app.exec();
    service.stop();
    return exitCode ? exitCode : loopResult;
}

} // namespace quarry::cli
