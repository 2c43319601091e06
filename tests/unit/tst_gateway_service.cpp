// GatewayService as a user leaves it running: it listens before the keychain answers, takes new
// secrets and listener ports without a restart, and ends every request, even when credentials
// expire under two requests at once or on a failover provider.
#include "config/ConfigStore.h"
#include "config/ManifestParser.h"
#include "gateway/GatewayService.h"
#include "secrets/InMemorySecretStore.h"
#include "simulator/BedrockSimulator.h"
#include "telemetry/HistoryStore.h"
#include "telemetry/PriceTable.h"
#include "telemetry/SpendTracker.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;
using gateway::GatewayOptions;
using gateway::GatewayService;
using gateway::KeychainState;

namespace {

struct Answer
{
    int status = 0; // 0: no answer in time, or the connection failed
    QByteArray body;
    QByteArray upstream;    // x-quarry-upstream
    QByteArray credentials; // x-quarry-credentials
    QByteArray requestId;   // x-quarry-request-id
    QByteArray costUsd;     // x-quarry-cost-usd
    QString errorCode() const { return QJsonDocument::fromJson(body)[u"error"_s][u"code"_s].toString(); }
};

QString freePortText()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return QString::number(probe.serverPort());
}

QByteArray chatBody(const QString &prompt)
{
    return QJsonDocument(QJsonObject{{u"model"_s, u""_s},
                                     {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s},
                                                                             {u"content"_s, prompt}}}}})
        .toJson(QJsonDocument::Compact);
}

// The config the tests serve: a Gateway on `port` and, per entry, a route /<name> to a backend
// <name> whose spec is given as YAML (indented for `spec:`).
QString configYaml(const QString &port, const QList<std::pair<QString, QString>> &backends)
{
    QString yaml = u"apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: agentgateway\n"
                   "spec:\n  gatewayClassName: agentgateway\n  listeners:\n  - name: http\n    port: %1\n"
                   "    protocol: HTTP\n"_s.arg(port);
    for (const auto &[name, spec] : backends) {
        yaml += u"---\napiVersion: agentgateway.dev/v1alpha1\nkind: AgentgatewayBackend\nmetadata:\n  name: %1\n"
                "spec:\n%2"_s.arg(name, spec);
        yaml += u"---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: %1\nspec:\n"
                "  parentRefs:\n  - name: agentgateway\n  rules:\n  - matches:\n    - path:\n        type: PathPrefix\n"
                "        value: /%1\n    backendRefs:\n    - name: %1\n"_s.arg(name);
    }
    return yaml;
}

QString providerSpec(quint16 upstreamPort, const QString &auth)
{
    return u"  ai:\n    provider:\n      bedrock:\n        model: amazon.titan-text-lite-v1\n        region: us-east-1\n"
           "      host: 127.0.0.1\n      port: %1\n%2"_s.arg(upstreamPort).arg(auth);
}

QString secretAuth(const QString &secret)
{
    return u"  policies:\n    auth:\n      secretRef:\n        name: %1\n"_s.arg(secret);
}

secrets::SecretId secretId(const QString &name)
{
    return {u"agentgateway-system"_s, name};
}

secrets::SecretData keys(const QString &accessKey, const QString &secretKey)
{
    return {{u"accessKey"_s, accessKey.toUtf8()}, {u"secretKey"_s, secretKey.toUtf8()}};
}

} // namespace

class TestGatewayService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void listensBeforeTheKeychainAnswers();
    void savedSecretMovesBackendFromSimulatorToBedrock();
    void simulatedAnswersNameTheKeyTheyWereSignedWith();
    void listenerPortChangeBindsTheNewPortFirst();
    void twoConcurrentExpiredRenewalsBothAnswer();
    void failoverProviderRenewsItsOwnCredentials();
    void simulateHeaderSendsThatRequestToTheSimulator();
    void spendCountedBeforeHistoryExistedIsNotCountedAgain();
    void requestIdsGoOnAfterTheLastInHistory();
    void aRequestIsPricedOnceWhenPricesChangeWhileBedrockAnswers();
    void aPassedThroughStreamCountsTowardsTheBudgets();
    void anEditedPricingJsonPricesTheNextRequest();

private:
    void writeConfig(const QString &yaml);
    GatewayService *startService(GatewayOptions::Simulation simulation = GatewayOptions::Simulation::Off);
    QString listenAddress() const;
    Answer post(const QString &address, const QString &path, const QString &prompt, int timeoutMs = 15000,
                const QByteArray &simulate = {});
    // Tells a running service that the keychain changed, as `quarry create secret` does.
    void touchSecretCatalog();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<bedrock::BedrockSimulator> m_aws; // plays Amazon Bedrock
    std::unique_ptr<secrets::InMemorySecretStore> m_secrets;
    std::unique_ptr<GatewayService> m_service;
    QString m_startedAddress;
    QNetworkAccessManager m_network;
    bool m_simulateOnRequest = false;
    QString m_historyPath; // startService()'s history, when a test sets one
    std::shared_ptr<telemetry::SpendTracker> m_spending; // startService()'s budgets' spend
};

void TestGatewayService::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_aws = std::make_unique<bedrock::BedrockSimulator>();
    QVERIFY(m_aws->listen().ok());
    m_secrets = std::make_unique<secrets::InMemorySecretStore>();
    m_startedAddress.clear();
    m_simulateOnRequest = false;
    m_spending = std::make_shared<telemetry::SpendTracker>();
}

void TestGatewayService::cleanup()
{
    m_service.reset();
    m_secrets.reset();
    m_aws.reset();
    m_dir.reset();
    m_historyPath.clear();
}

void TestGatewayService::writeConfig(const QString &yaml)
{
    config::ConfigStore store(m_dir->path());
    QVERIFY(store.load().ok());
    auto parsed = config::parseManifests(yaml.toUtf8());
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error()));
    const Status applied = store.apply(parsed.value());
    QVERIFY2(applied.ok(), qPrintable(applied.ok() ? QString() : applied.error()));
}

GatewayService *TestGatewayService::startService(GatewayOptions::Simulation simulation)
{
    GatewayOptions options;
    options.configDir = m_dir->path();
    options.simulation = simulation;
    options.simulateOnRequest = m_simulateOnRequest;
    options.historyPath = m_historyPath;
    options.spending = m_spending;
    // The default chain finds these (and nothing of the machine's own: HOME is the test's).
    QProcessEnvironment environment;
    environment.insert(u"HOME"_s, m_dir->path());
    environment.insert(u"AWS_ACCESS_KEY_ID"_s, u"AKIAENVIRONMENT00001"_s);
    environment.insert(u"AWS_SECRET_ACCESS_KEY"_s, u"environment-secret"_s);
    options.environment = environment;
    m_service = std::make_unique<GatewayService>(options, *m_secrets);
    connect(m_service.get(), &GatewayService::started, this, [this](const QString &address) {
        m_startedAddress = address;
    });
    m_service->start();
    return m_service.get();
}

QString TestGatewayService::listenAddress() const
{
    return m_startedAddress;
}

Answer TestGatewayService::post(const QString &address, const QString &path, const QString &prompt, int timeoutMs,
                                const QByteArray &simulate)
{
    QNetworkRequest request(QUrl(u"http://"_s + address + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    if (!simulate.isEmpty())
        request.setRawHeader("x-quarry-simulate", simulate);
    request.setTransferTimeout(timeoutMs);
    std::unique_ptr<QNetworkReply> reply(m_network.post(request, chatBody(prompt)));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!finished.wait(timeoutMs + 1000))
        return {};
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
            reply->readAll(),
            reply->rawHeader("x-quarry-upstream"),
            reply->rawHeader("x-quarry-credentials"),
            reply->rawHeader("x-quarry-request-id"),
            reply->rawHeader("x-quarry-cost-usd")};
}

void TestGatewayService::touchSecretCatalog()
{
    // The service watches secrets.json (the catalogue of what is in the keychain).
    QTest::qWait(1100); // file times have a resolution of a second on some file systems
    QFile catalog(QDir(m_dir->path()).filePath(u"secrets.json"_s));
    QVERIFY(catalog.open(QIODevice::WriteOnly | QIODevice::Append));
    catalog.write(" ");
}

// A keychain that never answers (locked, no prompter) must not keep the gateway from listening or
// hold back backends that do not need it; the ones that do get a 503 that says why.
void TestGatewayService::listensBeforeTheKeychainAnswers()
{
    m_aws->addIdentity(u"AKIAENVIRONMENT00001"_s, u"environment-secret"_s);
    m_aws->addIdentity(u"AKIAKEYCHAIN00000001"_s, u"keychain-secret"_s);
    m_secrets->write(secretId(u"stored"_s), keys(u"AKIAKEYCHAIN00000001"_s, u"keychain-secret"_s), [](Status) {});
    writeConfig(configYaml(freePortText(), {{u"keyed"_s, providerSpec(m_aws->port(), secretAuth(u"stored"_s))},
                                    {u"chained"_s, providerSpec(m_aws->port(), QString())}}));
    m_secrets->setSilent(true);

    GatewayService *service = startService();
    QTRY_VERIFY_WITH_TIMEOUT(!listenAddress().isEmpty(), 2000);
    QCOMPARE(service->keychainState(), KeychainState::Waiting);

    const Answer chained = post(listenAddress(), u"/chained"_s, u"environment credentials"_s);
    QCOMPARE(chained.status, 200);
    QCOMPARE(chained.upstream, "bedrock");

    // A tool probing its base URL (HEAD) gets 200, with or without the keychain.
    QNetworkRequest probe(QUrl(u"http://"_s + listenAddress() + u"/keyed"_s));
    std::unique_ptr<QNetworkReply> head(m_network.head(probe));
    QSignalSpy headDone(head.get(), &QNetworkReply::finished);
    QVERIFY(headDone.wait(5000));
    QCOMPARE(head->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);

    const Answer keyed = post(listenAddress(), u"/keyed"_s, u"keychain credentials"_s);
    QCOMPARE(keyed.status, 503);
    QCOMPARE(keyed.errorCode(), u"keychain_unavailable"_s);
    QVERIFY2(keyed.body.contains("keychain has not answered"), keyed.body.constData());

    // The user unlocks the keychain: the held read answers, and the backend serves.
    m_secrets->setSilent(false);
    QTRY_COMPARE_WITH_TIMEOUT(service->keychainState(), KeychainState::Ready, 5000);
    QCOMPARE(post(listenAddress(), u"/keyed"_s, u"keychain credentials"_s).status, 200);
}

// With the simulator standing in for backends without credentials (the window's mode), saving
// keys takes effect for the next request: no Stop/Start.
void TestGatewayService::savedSecretMovesBackendFromSimulatorToBedrock()
{
    m_aws->addIdentity(u"AKIASAVEDLATER000001"_s, u"saved-later-secret"_s);
    writeConfig(configYaml(freePortText(), {{u"bedrock"_s, providerSpec(m_aws->port(), secretAuth(u"later"_s))}}));
    GatewayService *service = startService(GatewayOptions::Simulation::IfNeeded);
    QTRY_VERIFY_WITH_TIMEOUT(!listenAddress().isEmpty(), 2000);

    const Answer before = post(listenAddress(), u"/bedrock"_s, u"before the keys"_s);
    QCOMPARE(before.status, 200);
    QCOMPARE(before.upstream, "simulator");
    QCOMPARE(before.credentials, "the built-in simulator's own key");
    QVERIFY(service->simulating());

    m_secrets->write(secretId(u"later"_s), keys(u"AKIASAVEDLATER000001"_s, u"saved-later-secret"_s), [](Status) {});
    touchSecretCatalog();
    QTRY_VERIFY_WITH_TIMEOUT(!service->simulating(), 5000);
    const Answer after = post(listenAddress(), u"/bedrock"_s, u"after the keys"_s);
    QCOMPARE(after.status, 200);
    QCOMPARE(after.upstream, "bedrock");
    QCOMPARE(after.credentials, QByteArray()); // said of simulated answers only
}

// --simulate answers every backend, and accepts any key it is handed: the answer says which key that
// was (its source, never its value), so a stored secret is told apart from the simulator's own key.
void TestGatewayService::simulatedAnswersNameTheKeyTheyWereSignedWith()
{
    m_secrets->write(secretId(u"stored"_s), keys(u"AKIASTOREDKEY0000001"_s, u"stored-secret"_s), [](Status) {});
    writeConfig(configYaml(freePortText(), {{u"keyed"_s, providerSpec(m_aws->port(), secretAuth(u"stored"_s))},
                                            {u"missing"_s, providerSpec(m_aws->port(), secretAuth(u"nowhere"_s))},
                                            {u"chained"_s, providerSpec(m_aws->port(), QString())}}));
    startService(GatewayOptions::Simulation::On);
    QTRY_VERIFY_WITH_TIMEOUT(!listenAddress().isEmpty(), 2000);

    const Answer keyed = post(listenAddress(), u"/keyed"_s, u"stored key"_s);
    QCOMPARE(keyed.status, 200);
    QCOMPARE(keyed.upstream, "simulator");
    QCOMPARE(keyed.credentials, "secret agentgateway-system/stored");
    const Answer missing = post(listenAddress(), u"/missing"_s, u"no key"_s);
    QCOMPARE(missing.status, 200);
    QCOMPARE(missing.credentials, "the built-in simulator's own key");
    const Answer chained = post(listenAddress(), u"/chained"_s, u"environment key"_s);
    QCOMPARE(chained.status, 200);
    QCOMPARE(chained.credentials, "environment");
    QVERIFY2(!keyed.credentials.contains("stored-secret") && !chained.credentials.contains("environment-secret"),
             "a source, never a value");
}

// A port already in use keeps the old listener serving and says why; a free one moves the
// listener there and closes the old one.
void TestGatewayService::listenerPortChangeBindsTheNewPortFirst()
{
    m_aws->addIdentity(u"AKIAENVIRONMENT00001"_s, u"environment-secret"_s);
    const QString firstPort = freePortText();
    writeConfig(configYaml(firstPort, {{u"chained"_s, providerSpec(m_aws->port(), QString())}}));
    GatewayService *service = startService();
    QTRY_VERIFY_WITH_TIMEOUT(!listenAddress().isEmpty(), 2000);
    const QString firstAddress = u"127.0.0.1:"_s + firstPort;
    QCOMPARE(listenAddress(), firstAddress);

    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    QSignalSpy changed(service, &GatewayService::listenerChanged);
    writeConfig(configYaml(QString::number(squatter.serverPort()),
                           {{u"chained"_s, providerSpec(m_aws->port(), QString())}}));
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 5000);
    QCOMPARE(changed.at(0).at(0).toString(), firstAddress);
    QVERIFY2(changed.at(0).at(1).toString().contains(u"in use"_s), qPrintable(changed.at(0).at(1).toString()));
    QCOMPARE(post(firstAddress, u"/chained"_s, u"still served"_s).status, 200);

    // The config asks for what serves again: the failed change is withdrawn, and so is its problem.
    writeConfig(configYaml(firstPort, {{u"chained"_s, providerSpec(m_aws->port(), QString())}}));
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 2, 5000);
    QCOMPARE(changed.at(1).at(0).toString(), firstAddress);
    QCOMPARE(changed.at(1).at(1).toString(), QString());

    const QString secondPort = freePortText();
    writeConfig(configYaml(secondPort, {{u"chained"_s, providerSpec(m_aws->port(), QString())}}));
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 3, 5000);
    const QString secondAddress = u"127.0.0.1:"_s + secondPort;
    QCOMPARE(changed.at(2).at(0).toString(), secondAddress);
    QCOMPARE(changed.at(2).at(1).toString(), QString());
    QCOMPARE(post(secondAddress, u"/chained"_s, u"moved"_s).status, 200);
    // The old port takes no new connections (those already open finish their requests).
    QTcpSocket late;
    late.connectToHost(QHostAddress::LocalHost, firstPort.toUShort());
    QVERIFY(!late.waitForConnected(3000));
    QCOMPARE(late.error(), QAbstractSocket::ConnectionRefusedError);
}

// Both requests refused as expired get renewed credentials and an answer; neither waits forever.
void TestGatewayService::twoConcurrentExpiredRenewalsBothAnswer()
{
    m_aws->addIdentity(u"AKIAEXPIRING00000001"_s, u"expiring-secret"_s);
    m_aws->addIdentity(u"AKIARENEWED000000001"_s, u"renewed-secret"_s);
    m_secrets->write(secretId(u"temporary"_s), keys(u"AKIAEXPIRING00000001"_s, u"expiring-secret"_s), [](Status) {});
    writeConfig(configYaml(freePortText(), {{u"bedrock"_s, providerSpec(m_aws->port(), secretAuth(u"temporary"_s))}}));
    startService();
    QTRY_VERIFY_WITH_TIMEOUT(!listenAddress().isEmpty(), 2000);
    QCOMPARE(post(listenAddress(), u"/bedrock"_s, u"warm"_s).status, 200);

    // The stored credentials were renewed behind the gateway's back; the ones it holds expire.
    m_secrets->write(secretId(u"temporary"_s), keys(u"AKIARENEWED000000001"_s, u"renewed-secret"_s), [](Status) {});
    m_aws->expireIdentity(u"AKIAEXPIRING00000001"_s);

    m_secrets->setSilent(true);
    QList<std::shared_ptr<QNetworkReply>> replies;
    for (int i = 0; i < 2; ++i) {
        QNetworkRequest request(QUrl(u"http://"_s + listenAddress() + u"/bedrock"_s));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        replies.append(std::shared_ptr<QNetworkReply>(
            m_network.post(request, chatBody(u"concurrent %1 [sim:slow:200]"_s.arg(i)))));
    }
    // The keychain answers only once both renewals are under way, so their reloads overlap.
    QTest::qWait(1500);
    m_secrets->setSilent(false);
    for (const auto &reply : replies) {
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    }
}

// After failing over to its second provider, a renewal gives that provider its own fresh
// credentials, never the first provider's.
void TestGatewayService::failoverProviderRenewsItsOwnCredentials()
{
    m_aws->addIdentity(u"AKIAPROVIDERB0000001"_s, u"provider-b-secret"_s);
    m_aws->addIdentity(u"AKIAPROVIDERB0000002"_s, u"provider-b-renewed"_s);
    m_secrets->write(secretId(u"first"_s), keys(u"AKIAPROVIDERA0000001"_s, u"provider-a-secret"_s), [](Status) {});
    m_secrets->write(secretId(u"second"_s), keys(u"AKIAPROVIDERB0000001"_s, u"provider-b-secret"_s), [](Status) {});
    QTcpServer closed; // a port nothing answers on: provider A is unreachable
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 deadPort = closed.serverPort();
    closed.close();
    const QString spec =
        u"  ai:\n    groups:\n    - providers:\n      - name: a\n        bedrock:\n          model: amazon.titan-text-lite-v1\n"
        "          region: us-east-1\n        host: 127.0.0.1\n        port: %1\n    - providers:\n      - name: b\n"
        "        bedrock:\n          model: amazon.titan-text-lite-v1\n          region: us-east-1\n"
        "        host: 127.0.0.1\n        port: %2\n        policies:\n          auth:\n            secretRef:\n"
        "              name: second\n"_s.arg(deadPort).arg(m_aws->port())
        + secretAuth(u"first"_s);
    writeConfig(configYaml(freePortText(), {{u"grouped"_s, spec}}));
    startService();
    QTRY_VERIFY_WITH_TIMEOUT(!listenAddress().isEmpty(), 2000);
    QCOMPARE(post(listenAddress(), u"/grouped"_s, u"through b"_s).status, 200);

    m_secrets->write(secretId(u"second"_s), keys(u"AKIAPROVIDERB0000002"_s, u"provider-b-renewed"_s), [](Status) {});
    m_aws->expireIdentity(u"AKIAPROVIDERB0000001"_s);
    const Answer renewed = post(listenAddress(), u"/grouped"_s, u"b renewed"_s);
    QVERIFY2(renewed.status == 200, renewed.body.constData());
}

// The console's Simulator switch: `x-quarry-simulate: true` sends that one request to the built-in
// simulator though the backend has credentials; the next request without it goes to Bedrock again.
// A gateway that does not offer it refuses the header rather than call Bedrock unasked.
void TestGatewayService::simulateHeaderSendsThatRequestToTheSimulator()
{
    m_aws->addIdentity(u"AKIAENVIRONMENT00001"_s, u"environment-secret"_s);
    writeConfig(configYaml(freePortText(), {{u"chained"_s, providerSpec(m_aws->port(), QString())}}));
    m_simulateOnRequest = true;
    startService();
    QTRY_VERIFY_WITH_TIMEOUT(!listenAddress().isEmpty(), 5000);

    const Answer simulated = post(listenAddress(), u"/chained"_s, u"offline please"_s, 15000, "true");
    QCOMPARE(simulated.status, 200);
    QCOMPARE(simulated.upstream, "simulator");
    const Answer real = post(listenAddress(), u"/chained"_s, u"the real thing"_s);
    QCOMPARE(real.status, 200);
    QCOMPARE(real.upstream, "bedrock");
    QCOMPARE(post(listenAddress(), u"/chained"_s, u"explicitly not"_s, 15000, "false").upstream, "bedrock");

    m_service.reset();
    m_startedAddress.clear();
    m_simulateOnRequest = false;
    startService();
    QTRY_VERIFY_WITH_TIMEOUT(!listenAddress().isEmpty(), 5000);
    const Answer refused = post(listenAddress(), u"/chained"_s, u"offline please"_s, 15000, "true");
    QCOMPARE(refused.status, 503);
    QCOMPARE(refused.errorCode(), u"simulator_unavailable"_s);
}

// A new install: the window's first start finds no history.sqlite, and today's spend is counted as
// requests come. After a stop and start (same tracker) history holds those requests: counting
// them again doubled today's cost in the status line.
void TestGatewayService::spendCountedBeforeHistoryExistedIsNotCountedAgain()
{
    writeConfig(configYaml(freePortText(), {}));
    GatewayOptions options;
    options.configDir = m_dir->path();
    options.listen = false;
    options.environment = QProcessEnvironment();
    options.historyPath = m_dir->filePath(u"history.sqlite"_s);
    const auto startAndStop = [&] {
        GatewayService service(options, *m_secrets);
        service.start();
    };
    startAndStop();
    const QDateTime now = QDateTime::currentDateTime();
    const QString backend = u"agentgateway-system/a"_s;
    options.spending->add(backend, 0.25, now, {});
    {
        telemetry::HistoryStore history(options.historyPath);
        telemetry::TrafficRecord record;
        record.id = 1;
        record.started = now.toUTC();
        record.backend = backend;
        record.status = 200;
        record.tokens = {10, 5, 0, 0, true};
        record.costUsd = 0.25;
        history.publish(record);
        QVERIFY(history.flush(10000));
    }
    startAndStop();
    QCOMPARE(options.spending->spent(QString(), telemetry::Budget::Period::Day, now), 0.25);
    QCOMPARE(options.spending->spent(backend, telemetry::Budget::Period::Month, now), 0.25);
}

// After a restart, x-quarry-request-id goes on from the last request in history: the id a client
// logged names one row of history, not one per run of the gateway.
void TestGatewayService::requestIdsGoOnAfterTheLastInHistory()
{
    m_historyPath = m_dir->filePath(u"history.sqlite"_s);
    {
        telemetry::HistoryStore history(m_historyPath);
        telemetry::TrafficRecord record;
        record.id = 5000; // past what the other tests of this process have counted
        record.started = QDateTime::currentDateTimeUtc();
        record.status = 200;
        history.publish(record);
        QVERIFY(history.flush(10000));
    }
    writeConfig(configYaml(freePortText(), {{u"bedrock"_s, providerSpec(m_aws->port(), secretAuth(u"none"_s))}}));
    startService(GatewayOptions::Simulation::IfNeeded);
    QTRY_VERIFY_WITH_TIMEOUT(!listenAddress().isEmpty(), 2000);
    const Answer answer = post(listenAddress(), u"/bedrock"_s, u"after a restart"_s);
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.requestId, "5001");
}

// A request is priced once, at the prices of the snapshot it started with: the client's
// x-quarry-cost-usd and what the budgets count agree, even when pricing.json changes (and the
// configuration reloads) while Bedrock is still answering.
void TestGatewayService::aRequestIsPricedOnceWhenPricesChangeWhileBedrockAnswers()
{
    QTcpServer bedrock; // answers when the test says so
    QVERIFY(bedrock.listen(QHostAddress::LocalHost));
    const QString port = freePortText();
    const auto backend = std::pair{u"bedrock"_s, providerSpec(bedrock.serverPort(), QString())};
    writeConfig(configYaml(port, {backend}));
    GatewayService *service = startService();
    QTRY_VERIFY_WITH_TIMEOUT(!listenAddress().isEmpty(), 2000);

    QNetworkRequest request(QUrl(u"http://"_s + listenAddress() + u"/bedrock"_s));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    const std::unique_ptr<QNetworkReply> reply(m_network.post(request, chatBody(u"priced once"_s)));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    QTRY_VERIFY_WITH_TIMEOUT(bedrock.hasPendingConnections(), 5000);
    QTcpSocket *upstream = bedrock.nextPendingConnection();

    // Thousands of times the shipped prices, read again when the configuration reloads.
    QFile prices(telemetry::PriceTable::overridePath(m_dir->path()));
    QVERIFY(prices.open(QIODevice::WriteOnly));
    prices.write(
        R"({"models": {"amazon.titan-text-lite-v1": {"regions": {"*": {"input": 1, "output": 1}}}}})");
    prices.close();
    QObject listening; // the connections below end with this test
    bool reloading = false;
    bool republished = false;
    connect(service, &GatewayService::notice, &listening, [&reloading](const QString &message) {
        reloading = reloading || message.contains(u"configuration changed"_s);
    });
    connect(service, &GatewayService::published, &listening, [&] { republished = reloading; });
    writeConfig(configYaml(port, {backend, {u"another"_s, providerSpec(bedrock.serverPort(), QString())}}));
    QTRY_VERIFY_WITH_TIMEOUT(republished, 5000);

    const QByteArray converse = R"({"output":{"message":{"role":"assistant","content":[{"text":"hi"}]}},)"
                                R"("stopReason":"end_turn","usage":{"inputTokens":1000,"outputTokens":1000,)"
                                R"("totalTokens":2000}})";
    upstream->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                    QByteArray::number(converse.size()) + "\r\n\r\n" + converse);
    QVERIFY(finished.wait(5000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    const double charged = reply->rawHeader("x-quarry-cost-usd").toDouble();
    QVERIFY2(charged > 0 && charged < 0.01,
             reply->rawHeader("x-quarry-cost-usd").constData()); // shipped prices
    // The worker counts the request after it has written the answer: wait for it.
    const auto counted = [this] {
        return m_spending->spent(QString(), telemetry::Budget::Period::Month, QDateTime::currentDateTime());
    };
    QTRY_VERIFY_WITH_TIMEOUT(counted() > 0, 2000);
    const QString figures =
        u"budgets counted %1, the client was told %2"_s.arg(counted(), 0, 'f', 8).arg(charged, 0, 'f', 8);
    QVERIFY2(qAbs(counted() - charged) < 1e-8, qPrintable(figures));
}

// A stream of Bedrock's own API carries no cost line of Quarry's: it is priced when it completes,
// from the usage in its metadata event, and counts towards the budgets.
void TestGatewayService::aPassedThroughStreamCountsTowardsTheBudgets()
{
    writeConfig(configYaml(freePortText(), {{u"bedrock"_s, providerSpec(m_aws->port(), QString())}}));
    startService(GatewayOptions::Simulation::On);
    QTRY_VERIFY_WITH_TIMEOUT(!listenAddress().isEmpty(), 2000);

    QNetworkRequest request(
        QUrl(u"http://"_s + listenAddress() + u"/bedrock/model/amazon.titan-text-lite-v1/converse-stream"_s));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    const std::unique_ptr<QNetworkReply> reply(
        m_network.post(request, R"({"messages":[{"role":"user","content":[{"text":"a stream"}]}]})"));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY(reply->readAll().contains("metadata"));
    QTRY_VERIFY_WITH_TIMEOUT(
        m_spending->spent(QString(), telemetry::Budget::Period::Month, QDateTime::currentDateTime()) > 0,
        2000);
}

// pricing.json is edited by hand: the next request is priced with what it says, with no change to
// the configuration and no restart, whether the file is created, edited in place or removed.
void TestGatewayService::anEditedPricingJsonPricesTheNextRequest()
{
    m_aws->addIdentity(u"AKIAENVIRONMENT00001"_s, u"environment-secret"_s);
    writeConfig(configYaml(freePortText(), {{u"bedrock"_s, providerSpec(m_aws->port(), QString())}}));
    GatewayService *service = startService();
    QTRY_VERIFY_WITH_TIMEOUT(!listenAddress().isEmpty(), 5000);
    QSignalSpy notices(service, &GatewayService::notice);
    // The same prompt each time: the simulator answers it with the same tokens.
    const auto costOfARequest = [this](double *tokens = nullptr) {
        const Answer answer = post(listenAddress(), u"/bedrock"_s, u"what does it cost"_s);
        const QJsonObject usage = QJsonDocument::fromJson(answer.body)[u"usage"_s].toObject();
        if (tokens)
            *tokens = usage[u"prompt_tokens"_s].toDouble() + usage[u"completion_tokens"_s].toDouble();
        return answer.status == 200 ? answer.costUsd.toDouble() : -1.0;
    };
    const auto writePrices = [this](double perThousandTokens, QIODevice::OpenMode mode) {
        QFile prices(telemetry::PriceTable::overridePath(m_dir->path()));
        QVERIFY(prices.open(mode));
        prices.write(u"{\"models\": {\"amazon.titan-text-lite-v1\": {\"regions\": {\"*\": "
                     "{\"input\": %1, \"output\": %1}}}}}"_s.arg(perThousandTokens)
                         .toUtf8());
    };
    double tokens = 0;
    const double shipped = costOfARequest(&tokens);
    QVERIFY2(shipped > 0 && shipped < 0.01, qPrintable(QString::number(shipped)));
    QVERIFY(tokens > 0);

    writePrices(1, QIODevice::WriteOnly | QIODevice::NewOnly); // a new file: the directory changes
    QTRY_COMPARE_WITH_TIMEOUT(costOfARequest(), tokens / 1000, 5000);
    writePrices(2, QIODevice::ReadWrite | QIODevice::Truncate); // in place: only the file changes
    QTRY_COMPARE_WITH_TIMEOUT(costOfARequest(), 2 * tokens / 1000, 5000);
    QVERIFY(QFile::remove(telemetry::PriceTable::overridePath(m_dir->path())));
    QTRY_COMPARE_WITH_TIMEOUT(costOfARequest(), shipped, 5000);
    // serve's log says so.
    QVERIFY(std::any_of(notices.cbegin(), notices.cend(), [](const QList<QVariant> &notice) {
        return notice.first().toString() ==
               u"prices changed: pricing.json is gone, the shipped prices apply"_s;
    }));
}

QTEST_GUILESS_MAIN(TestGatewayService)
#include "tst_gateway_service.moc"
