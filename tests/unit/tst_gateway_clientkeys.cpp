// Client keys as a client meets them: no key needed while none exists on loopback; once one
// exists (or the listener is not loopback) every request presents a valid one in either header
// style or gets a 401 in its own API's shape; a revoked key stops working; the key is neither
// stored on disk nor shown in the traffic view; a non-loopback listener without keys never starts.
#include "TestSupport.h"
#include "config/ConfigStore.h"
#include "config/ManifestParser.h"
#include "gateway/GatewayService.h"
#include "http/ClientKeyHeader.h"
#include "secrets/ClientKeyCatalog.h"
#include "secrets/ClientKeyCheck.h"
#include "secrets/InMemorySecretStore.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;
using secrets::ClientKeyCatalog;
using secrets::ClientKeyCheck;
using Outcome = secrets::ClientKeyCheck::Outcome;

namespace {

constexpr int kDeadlineMs = 10000;

// A route for Anthropic clients, so its refusals can be checked for Anthropic's shape.
const QByteArray kClaudeRoute = R"(apiVersion: agentgateway.dev/v1alpha1
kind: AgentgatewayBackend
metadata: {name: claude}
spec:
  ai:
    provider:
      bedrock: {region: us-west-2}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: claude}
spec:
  parentRefs: [{name: agentgateway}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /claude}}]
    backendRefs: [{name: claude, kind: AgentgatewayBackend}]
)";

const QByteArray kChat = R"({"model":"","messages":[{"role":"user","content":"hi"}]})";
const QByteArray kMessages =
    R"({"model":"us.anthropic.claude-3-5-haiku-20241022-v1:0","max_tokens":20,"messages":[{"role":"user","content":"hi"}]})";

struct Answer
{
    int status = 0;
    QByteArray body;
    QByteArray errorType; // x-amzn-ErrorType
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

http::HttpRequest requestWith(const http::HttpHeaders &headers)
{
    http::HttpRequest request;
    request.headers = headers;
    return request;
}

} // namespace

class TestGatewayClientKeys : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void checkOutcomes();
    void constantTimeEqualsComparesEveryByte();
    void bothHeaderStylesPresentAKey();
    void keyHeadersAreDropped();
    void catalogNeverHoldsTheKey();
    void noKeysOnLoopbackLetsEveryoneIn();
    void keyRequiredOnceOneExists();
    void refusalsComeInTheClientsShape();
    void revokedKeyIsRefusedWithoutRestart();
    void trafficNeverShowsTheKey();
    void nonLoopbackWithoutKeysRefusesToStart();
    void nonLoopbackWithAKeyRequiresIt();

private:
    QByteArray addKey(const QString &name);
    bool startService(const QHostAddress &address = QHostAddress::LocalHost, QString *failure = nullptr);
    Answer post(const QString &path, const QByteArray &body,
                const QList<QPair<QByteArray, QByteArray>> &headers = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<secrets::InMemorySecretStore> m_secrets;
    std::unique_ptr<gateway::GatewayService> m_service;
    quint16 m_port = 0;
    QNetworkAccessManager m_network;
};

void TestGatewayClientKeys::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_secrets = std::make_unique<secrets::InMemorySecretStore>();
    config::ConfigStore store(m_dir->path());
    QVERIFY(store.load().ok());
    auto parsed = config::parseManifests(kClaudeRoute);
    QVERIFY(parsed.ok());
    QVERIFY(store.apply(parsed.value()).ok());
}

void TestGatewayClientKeys::cleanup()
{
    m_service.reset();
    m_secrets.reset();
    m_dir.reset();
}

QByteArray TestGatewayClientKeys::addKey(const QString &name)
{
    const QByteArray key = secrets::clientkey::generate();
    const Status added = ClientKeyCatalog(m_dir->path()).add(ClientKeyCatalog::entryFor(name, key));
    return added.ok() ? key : QByteArray();
}

bool TestGatewayClientKeys::startService(const QHostAddress &address, QString *failure)
{
    gateway::GatewayOptions options;
    options.configDir = m_dir->path();
    options.simulation = gateway::GatewayOptions::Simulation::On;
    options.listenAddress = address;
    m_port = freePort();
    options.listenPort = m_port;
    options.environment = QProcessEnvironment();
    options.sessionKey = "window-session-key";
    m_service = std::make_unique<gateway::GatewayService>(options, *m_secrets);
    QSignalSpy started(m_service.get(), &gateway::GatewayService::started);
    QSignalSpy failed(m_service.get(), &gateway::GatewayService::startFailed);
    m_service->start();
    QDeadlineTimer deadline(kDeadlineMs);
    while (started.isEmpty() && failed.isEmpty() && !deadline.hasExpired())
        QTest::qWait(20);
    if (failure && !failed.isEmpty())
        *failure = failed.first().first().toString();
    return !started.isEmpty();
}

Answer TestGatewayClientKeys::post(const QString &path, const QByteArray &body,
                                   const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    request.setTransferTimeout(kDeadlineMs);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    std::unique_ptr<QNetworkReply> reply(m_network.post(request, body));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!finished.wait(kDeadlineMs + 1000))
        return {};
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(),
            reply->rawHeader("x-amzn-ErrorType")};
}

void TestGatewayClientKeys::checkOutcomes()
{
    const QByteArray key = secrets::clientkey::generate();
    const QByteArray other = secrets::clientkey::generate();
    const ClientKeyCheck open;
    QCOMPARE(open.check({}), Outcome::NotRequired);
    QCOMPARE(open.check("anything"), Outcome::NotRequired);

    const ClientKeyCheck withKey({secrets::clientkey::digestOf(other), secrets::clientkey::digestOf(key)},
                                 false);
    QVERIFY(withKey.required());
    QCOMPARE(withKey.check(key), Outcome::Accepted);
    QCOMPARE(withKey.check(other), Outcome::Accepted);
    QCOMPARE(withKey.check(QByteArray(key + "x")), Outcome::Wrong);
    QCOMPARE(withKey.check(key.chopped(1)), Outcome::Wrong);
    QCOMPARE(withKey.check({}), Outcome::Missing);

    // Revoked: the check built after the key left the list no longer knows it.
    const ClientKeyCheck revoked({secrets::clientkey::digestOf(other)}, false);
    QCOMPARE(revoked.check(key), Outcome::Wrong);

    // Exposed listener with no keys: nothing passes but the window's own session key.
    const ClientKeyCheck exposed({}, true, "session");
    QCOMPARE(exposed.check("session"), Outcome::Accepted);
    QCOMPARE(exposed.check(key), Outcome::Wrong);
    QCOMPARE(ClientKeyCheck({}, true).check({}), Outcome::Missing);
}

void TestGatewayClientKeys::constantTimeEqualsComparesEveryByte()
{
    using secrets::clientkey::constantTimeEquals;
    QVERIFY(constantTimeEquals("abcdef", "abcdef"));
    QVERIFY(!constantTimeEquals("abcdef", "abcdeg")); // differs only in the last byte
    QVERIFY(!constantTimeEquals("xbcdef", "abcdef")); // only in the first
    QVERIFY(!constantTimeEquals("abc", "abcdef"));
    QVERIFY(constantTimeEquals({}, {}));
}

void TestGatewayClientKeys::bothHeaderStylesPresentAKey()
{
    QCOMPARE(http::presentedClientKey(requestWith({{"Authorization", "Bearer qk_abc"}})), "qk_abc"_ba);
    QCOMPARE(http::presentedClientKey(requestWith({{"authorization", "bearer  qk_abc "}})), "qk_abc"_ba);
    QCOMPARE(http::presentedClientKey(requestWith({{"X-Api-Key", "qk_def"}})), "qk_def"_ba);
    // The Anthropic SDK may send both; x-api-key is the one it means.
    QCOMPARE(
        http::presentedClientKey(requestWith({{"Authorization", "Bearer other"}, {"x-api-key", "qk_def"}})),
        "qk_def"_ba);
    // A SigV4 signature (an AWS SDK without AWS_BEARER_TOKEN_BEDROCK) presents no key.
    QVERIFY(
        http::presentedClientKey(
            requestWith({{"Authorization", "AWS4-HMAC-SHA256 Credential=AKIA/20250101/us-east-1/bedrock"}}))
            .isEmpty());
    QVERIFY(http::presentedClientKey(requestWith({{"Authorization", "Bearer"}})).isEmpty());
    QVERIFY(http::presentedClientKey(requestWith({})).isEmpty());
}

void TestGatewayClientKeys::keyHeadersAreDropped()
{
    http::HttpRequest request = requestWith(
        {{"Authorization", "Bearer qk_abc"}, {"X-API-KEY", "qk_def"}, {"Content-Type", "application/json"}});
    http::dropClientKeyHeaders(request);
    QCOMPARE(request.headers.size(), 1);
    QCOMPARE(request.headers.first().name, "Content-Type"_ba);
}

void TestGatewayClientKeys::catalogNeverHoldsTheKey()
{
    ClientKeyCatalog catalog(m_dir->path());
    const QByteArray key = addKey(u"laptop"_s);
    QVERIFY(!key.isEmpty());
    QVERIFY(key.startsWith("qk_") && key.size() == 46);
    QVERIFY(!catalog.add(ClientKeyCatalog::entryFor(u"laptop"_s, "another")).ok()); // name taken
    QVERIFY(!catalog.add(ClientKeyCatalog::entryFor(u"bad/name"_s, "another")).ok());
    QFile file(catalog.filePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray stored = file.readAll();
    QVERIFY(!stored.contains(key));
    QVERIFY(!stored.contains(key.mid(3, 16)));
    QCOMPARE(file.permissions() &
                 (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
             QFile::Permissions());
    const auto entries = catalog.entries();
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries.first().name, u"laptop"_s);
    QCOMPARE(entries.first().fingerprint, secrets::clientkey::fingerprintOf(key));
    QVERIFY(stored.contains(entries.first().fingerprint.toLatin1()));
    QCOMPARE(catalog.remove(u"laptop"_s).value(), true);
    QCOMPARE(catalog.remove(u"laptop"_s).value(), false);
    QVERIFY(catalog.entries().isEmpty());
}

void TestGatewayClientKeys::noKeysOnLoopbackLetsEveryoneIn()
{
    QVERIFY(startService());
    QCOMPARE(post(u"/bedrock"_s, kChat).status, 200);
    QCOMPARE(post(u"/bedrock"_s, kChat, {{"Authorization", "Bearer whatever"}}).status, 200);
}

void TestGatewayClientKeys::keyRequiredOnceOneExists()
{
    const QByteArray key = addKey(u"laptop"_s);
    QVERIFY(startService());
    QCOMPARE(post(u"/bedrock"_s, kChat).status, 401);
    QCOMPARE(post(u"/bedrock"_s, kChat, {{"Authorization", "Bearer qk_wrong"}}).status, 401);
    QCOMPARE(post(u"/bedrock"_s, kChat, {{"Authorization", QByteArray("Bearer " + key)}}).status, 200);
    QCOMPARE(post(u"/bedrock"_s, kChat, {{"x-api-key", key}}).status, 200);
    QCOMPARE(post(u"/claude/v1/messages"_s, kMessages, {{"x-api-key", key}}).status, 200);
    // The window's console and Test present the session key.
    QCOMPARE(post(u"/bedrock"_s, kChat, {{"Authorization", "Bearer window-session-key"}}).status, 200);
}

void TestGatewayClientKeys::refusalsComeInTheClientsShape()
{
    addKey(u"laptop"_s);
    QVERIFY(startService());
    const Answer openAi = post(u"/bedrock/v1/chat/completions"_s, kChat);
    QCOMPARE(openAi.status, 401);
    const QJsonObject error = openAi.json()[u"error"_s].toObject();
    QCOMPARE(error[u"type"_s].toString(), u"authentication_error"_s);
    QCOMPARE(error[u"code"_s].toString(), u"invalid_api_key"_s);
    QVERIFY2(error[u"message"_s].toString().contains(u"x-api-key"_s), openAi.body.constData());

    const Answer anthropic = post(u"/claude/v1/messages"_s, kMessages, {{"x-api-key", "qk_wrong"}});
    QCOMPARE(anthropic.status, 401);
    QCOMPARE(anthropic.json()[u"type"_s].toString(), u"error"_s);
    QCOMPARE(anthropic.json()[u"error"_s][u"type"_s].toString(), u"authentication_error"_s);
    QVERIFY(anthropic.json()[u"error"_s][u"message"_s].toString().contains(u"revoked"_s));

    const Answer native = post(u"/bedrock/model/amazon.titan-text-lite-v1/converse"_s, kChat);
    QCOMPARE(native.status, 401);
    QCOMPARE(native.errorType, "UnrecognizedClientException"_ba);
    QVERIFY(native.json()[u"message"_s].toString().contains(u"client key"_s));
}

void TestGatewayClientKeys::revokedKeyIsRefusedWithoutRestart()
{
    const QByteArray kept = addKey(u"kept"_s);
    const QByteArray revoked = addKey(u"revoked"_s);
    QVERIFY(startService());
    QCOMPARE(post(u"/bedrock"_s, kChat, {{"x-api-key", revoked}}).status, 200);
    QCOMPARE(ClientKeyCatalog(m_dir->path()).remove(u"revoked"_s).value(), true); // as `quarry keys revoke`
    QTRY_COMPARE_WITH_TIMEOUT(post(u"/bedrock"_s, kChat, {{"x-api-key", revoked}}).status, 401, kDeadlineMs);
    QCOMPARE(post(u"/bedrock"_s, kChat, {{"x-api-key", kept}}).status, 200);
    // The last key gone: loopback is open again.
    QCOMPARE(ClientKeyCatalog(m_dir->path()).remove(u"kept"_s).value(), true);
    QTRY_COMPARE_WITH_TIMEOUT(post(u"/bedrock"_s, kChat).status, 200, kDeadlineMs);
}

void TestGatewayClientKeys::trafficNeverShowsTheKey()
{
    const QByteArray key = addKey(u"laptop"_s);
    QVERIFY(startService());
    QList<telemetry::TrafficRecord> records;
    connect(m_service->traffic(), &telemetry::TrafficSink::recorded, this,
            [&records](const telemetry::SharedTrafficRecord &record) { records.append(*record); });
    QCOMPARE(post(u"/bedrock"_s, kChat, {{"Authorization", QByteArray("Bearer " + key)}}).status, 200);
    QCOMPARE(post(u"/bedrock"_s, kChat, {{"x-api-key", QByteArray(key + "-wrong")}}).status, 401);
    QTRY_COMPARE_WITH_TIMEOUT(records.size(), 2, kDeadlineMs);
    for (const auto &record : std::as_const(records)) {
        QVERIFY(!record.toLogLine().contains(QString::fromLatin1(key)));
        for (const auto &[name, value] : record.clientRequest.headers()) {
            QVERIFY2(!value.contains(QString::fromLatin1(key)), qPrintable(name));
            if (name.compare(u"authorization"_s, Qt::CaseInsensitive) == 0)
                QCOMPARE(value, u"Bearer <redacted>"_s);
        }
        QVERIFY(!record.clientRequest.body.contains(key));
    }
}

void TestGatewayClientKeys::nonLoopbackWithoutKeysRefusesToStart()
{
    QString failure;
    QVERIFY(!startService(QHostAddress::AnyIPv4, &failure));
    QVERIFY2(failure.contains(u"quarry keys create"_s), qPrintable(failure));
    QVERIFY(failure.contains(u"0.0.0.0"_s));
}

void TestGatewayClientKeys::nonLoopbackWithAKeyRequiresIt()
{
    const QByteArray key = addKey(u"laptop"_s);
    QVERIFY(startService(QHostAddress::AnyIPv4));
    QCOMPARE(post(u"/bedrock"_s, kChat).status, 401);
    QCOMPARE(post(u"/bedrock"_s, kChat, {{"Authorization", QByteArray("Bearer " + key)}}).status, 200);
    // Revoking the last key does not open an exposed listener: nothing passes.
    QCOMPARE(ClientKeyCatalog(m_dir->path()).remove(u"laptop"_s).value(), true);
    QTRY_COMPARE_WITH_TIMEOUT(
        post(u"/bedrock"_s, kChat, {{"Authorization", QByteArray("Bearer " + key)}}).status, 401,
        kDeadlineMs);
    QCOMPARE(post(u"/bedrock"_s, kChat).status, 401);
}

QUARRY_TEST_GUILESS_MAIN(TestGatewayClientKeys)
#include "tst_gateway_clientkeys.moc"
