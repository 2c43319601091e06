// `quarry auth check [BACKEND]`: which credentials a backend uses, until when, and whether Bedrock
// accepts them — values never shown.
#include "CliSupport.h"
#include "Commands.h"

#include "gateway/GatewayService.h"
#include "gateway/ModelsExchange.h"
#include "gateway/UpstreamCall.h"
#include "secrets/KeychainSecretStore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>

using namespace Qt::StringLiterals;

namespace quarry::cli {

namespace {

QString describeExpiry(const QDateTime &expiration)
{
    if (!expiration.isValid())
        return u"long-term (no expiry)"_s;
    const qint64 minutes = QDateTime::currentDateTimeUtc().secsTo(expiration) / 60;
    return u"expire %1 (in %2 min)"_s.arg(expiration.toUTC().toString(Qt::ISODate)).arg(minutes);
}

// One free, signed call that proves the credentials: ListFoundationModels on the control plane.
void proveCredentials(QNetworkAccessManager &network, const gateway::BackendTarget &target,
                      std::function<void(bool ok, QString detail)> done)
{
    // What the call reads while it runs: the caller's target goes out of scope before it ends.
    struct Proof
    {
        gateway::BackendTarget target;
        telemetry::TrafficRecord captures;
    };
    auto *proof = new Proof{target, {}};
    auto *call = new gateway::UpstreamCall(proof->target, &proof->captures.upstreamRequest,
                                           &proof->captures.upstreamResponse, &network);
    QObject::connect(call, &QObject::destroyed, [proof] { delete proof; });
    gateway::UpstreamRequest request;
    request.method = "GET";
    request.encodedPath = "/foundation-models";
    request.endpoint = gateway::ModelsExchange::controlPlaneFor(target.endpoint);
    gateway::UpstreamCall::Handlers handlers;
    handlers.finished = [call, done](int status, const QByteArray &body, const QByteArray &,
                                     const std::optional<bedrock::ApiError> &failure) {
        call->deleteLater();
        if (failure)
            return done(false, failure->message);
        if (status == 200)
            return done(true, u"Bedrock accepted them (ListFoundationModels answered 200)"_s);
        const QString message = QJsonDocument::fromJson(body).object().value(u"message"_s).toString();
        done(false, u"Bedrock refused them with HTTP %1: %2"_s.arg(status).arg(message));
    };
    call->start(request, std::move(handlers));
}

} // namespace

int runAuth(QCoreApplication &app, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Check the credentials of a backend (all backends when none is named)."_s);
    addConfigOption(parser);
    addNamespaceOption(parser);
    parser.addPositionalArgument(u"check"_s, u"The word check."_s);
    parser.addPositionalArgument(u"backend"_s, u"The backend's name."_s, u"[backend]"_s);
    QString error;
    if (!parseSubcommand(parser, arguments, &error))
        return fail(error);
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty() || positional.first() != u"check"_s || positional.size() > 2)
        return fail(u"usage: quarry auth check [BACKEND] [-n NAMESPACE]"_s);

    gateway::GatewayOptions options;
    options.configDir = configDir(parser);
    options.listen = false;
    secrets::KeychainSecretStore keychain;
    gateway::GatewayService service(options, keychain);
    QNetworkAccessManager network;
    int failures = 0;
    int pending = 0;
    const QString wanted = positional.size() == 2 ? namespaceOf(parser) + u'/' + positional.at(1) : QString();

    QObject::connect(&service, &gateway::GatewayService::startFailed, &app, [&](const QString &message) {
        app.exit(fail(message));
    });
    QObject::connect(&service, &gateway::GatewayService::published, &app, [&] {
        const auto snapshot = service.snapshot();
        QList<gateway::BackendTarget> targets;
        for (const auto &target : snapshot->backends) {
            if (wanted.isEmpty() || target.name == wanted)
                targets.append(target);
        }
        if (targets.isEmpty())
            return app.exit(fail(u"backend \"%1\" not found"_s.arg(wanted)));
        pending = int(targets.size());
        for (const auto &target : std::as_const(targets)) {
            if (!target.credentials.usable()) {
                ++failures;
                say(u"backend %1: no usable credentials. %2"_s.arg(target.name, target.credentials.problem));
                if (--pending == 0)
                    app.exit(1);
                continue;
            }
            say(u"backend %1: credentials from %2, %3"_s.arg(target.name, target.credentials.source,
                                                              describeExpiry(target.credentials.expiration)));
            proveCredentials(network, target, [&, name = target.name](bool ok, const QString &detail) {
                say(u"backend %1: %2"_s.arg(name, detail));
                failures += ok ? 0 : 1;
                if (--pending == 0)
                    app.exit(failures ? 1 : 0);
            });
        }
    }, Qt::SingleShotConnection);
    service.start();
    return app.exec();
}

} // namespace quarry::cli
