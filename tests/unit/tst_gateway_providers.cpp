// What a client sees when a backend's providers fail: spec.ai.groups are tried in order on 429, 5xx
// and an unreachable provider, never once the answer has started streaming, never on a 4xx; a
// provider without usable credentials is skipped. And passthrough requests reach Bedrock signed
// with the backend's credentials, whatever signature headers the client sent.
#include "config/ConfigStore.h"
#include "config/ManifestParser.h"
#include "gateway/GatewayService.h"
#include "simulator/BedrockSimulator.h"
#include "providers/bedrock/eventstream/EventStreamEncoder.h"
#include "secrets/InMemorySecretStore.h"

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

namespace {

// A Bedrock stand-in that answers every request with one canned response and remembers the
// request heads it got (lower-cased header names), so a test can see what the gateway sent.
struct FakeBedrock
{
    QTcpServer server;
    int status = 200;
    QByteArray errorType;
    bool cutStream = false; // 200 and the start of an event stream, then the connection drops
    QByteArray body =
        R"({"output":{"message":{"role":"assistant","content":[{"text":"from the fake"}]}},)"
        R"("stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":3,"totalTokens":4}})";
    QList<QHash<QByteArray, QByteArray>> requests;

    FakeBedrock()
    {
        server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&server, &QTcpServer::newConnection, &server, [this] {
            while (QTcpSocket *socket = server.nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { onRead(socket); });
            }
        });
    }

    void onRead(QTcpSocket *socket)
    {
        QByteArray buffered = socket->property("buffered").toByteArray() + socket->readAll();
        socket->setProperty("buffered", buffered);
        const qsizetype headEnd = buffered.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return;
        QHash<QByteArray, QByteArray> head;
        const QList<QByteArray> lines = buffered.first(headEnd).split('\n');
        head.insert(":request-line", lines.first().trimmed());
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon > 0)
                head.insert(lines.at(i).first(colon).trimmed().toLower(),
                            lines.at(i).mid(colon + 1).trimmed());
        }
        if (buffered.size() - headEnd - 4 < head.value("content-length").toLongLong())
            return; // the body is still on its way
        requests.append(head);
        socket->setProperty("buffered", QByteArray());
        if (cutStream) {
            socket->write(
                "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.amazon.eventstream\r\n"
                "Content-Length: 100000\r\n\r\n" +
                bedrock::EventStreamEncoder::encodeEvent(u"messageStart"_s, R"({"role":"assistant"})") +
                bedrock::EventStreamEncoder::encodeEvent(
                    u"contentBlockDelta"_s, R"({"contentBlockIndex":0,"delta":{"text":"partial answer"}})"));
            socket->flush();
            socket->abort();
            return;
        }
        const QByteArray answer = status == 200 ? body : R"({"message":"injected by the test"})";
        QByteArray response =
            "HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Type: application/json\r\n";
        if (!errorType.isEmpty())
            response += "x-amzn-ErrorType: " + errorType + "\r\n";
        response +=
            "Content-Length: " + QByteArray::number(answer.size()) + "\r\nConnection: close\r\n\r\n" + answer;
        socket->write(response);
        socket->disconnectFromHost();
    }
};

quint16 deadPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort(); // closed when probe goes: nothing answers there
}

QString freePortText()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return QString::number(probe.serverPort());
}

// One provider of a group, with its own secret (empty: it inherits the backend's auth).
QString providerYaml(const QString &name, quint16 port, const QString &secret,
                     const QString &model = u"amazon.titan-text-lite-v1"_s)
{
    QString yaml = u"    - providers:\n      - name: %1\n        bedrock:\n"_s.arg(name);
    if (!model.isEmpty())
        yaml += u"          model: %1\n"_s.arg(model);
    yaml += u"          region: us-east-1\n        host: 127.0.0.1\n        port: %1\n"_s.arg(port);
    if (!secret.isEmpty())
        yaml += u"        policies:\n          auth:\n            secretRef:\n              name: %1\n"_s.arg(
            secret);
    return yaml;
}

QByteArray chatBody(const QString &prompt, bool stream = false)
{
    return QJsonDocument(QJsonObject{{u"model"_s, u""_s},
                                     {u"stream"_s, stream},
                                     {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s},
                                                                            {u"content"_s, prompt}}}}})
        .toJson(QJsonDocument::Compact);
}

struct Answer
{
    int status = 0;
    QByteArray body;
    QByteArray upstream;
};

} // namespace

class TestGatewayProviders : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void failsOverBeforeAnswering_data();
    void failsOverBeforeAnswering();
    void clientErrorsDoNotFailOver();
    void providerWithoutCredentialsIsSkipped();
    void firstProviderWithoutCredentialsIsSkipped();
    void noFailoverOnceStreaming();
    void passthroughIsResignedWithTheBackendsKeys();
    void modelListIsAskedForOnceAndThenCached();

private:
    void serve(const QString &groupsYaml);
    Answer post(const QString &path, const QByteArray &body, const http::HttpHeaders &headers = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<bedrock::BedrockSimulator> m_aws;
    std::unique_ptr<secrets::InMemorySecretStore> m_secrets;
    std::unique_ptr<GatewayService> m_service;
    QString m_address;
    QNetworkAccessManager m_network;
};

void TestGatewayProviders::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_aws = std::make_unique<bedrock::BedrockSimulator>();
    QVERIFY(m_aws->listen().ok());
    m_aws->addIdentity(u"AKIABACKEND000000001"_s, u"backend-secret"_s);
    m_secrets = std::make_unique<secrets::InMemorySecretStore>();
    m_secrets->write({u"agentgateway-system"_s, u"keys"_s},
                     {{u"accessKey"_s, "AKIABACKEND000000001"}, {u"secretKey"_s, "backend-secret"}},
                     [](Status) {});
    m_address.clear();
}

void TestGatewayProviders::cleanup()
{
    m_service.reset();
    m_secrets.reset();
    m_aws.reset();
    m_dir.reset();
}

// A route /grouped to a backend whose spec.ai.groups are `groupsYaml`, signed with secret "keys".
void TestGatewayProviders::serve(const QString &groupsYaml)
{
    const QString yaml =
        u"apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: agentgateway\nspec:\n"
        "  gatewayClassName: agentgateway\n  listeners:\n  - name: http\n    port: %1\n    protocol: "
        "HTTP\n---\n"
        "apiVersion: agentgateway.dev/v1alpha1\nkind: AgentgatewayBackend\nmetadata:\n  name: "
        "grouped\nspec:\n"
        "  ai:\n    groups:\n%2  policies:\n    auth:\n      secretRef:\n        name: keys\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: grouped\nspec:\n"
        "  parentRefs:\n  - name: agentgateway\n  rules:\n  - matches:\n    - path:\n        type: "
        "PathPrefix\n"
        "        value: /grouped\n    backendRefs:\n    - name: grouped\n"_s.arg(freePortText(), groupsYaml);
    config::ConfigStore store(m_dir->path());
    QVERIFY(store.load().ok());
    auto parsed = config::parseManifests(yaml.toUtf8());
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error()));
    QVERIFY(store.apply(parsed.value()).ok());

    GatewayOptions options;
    options.configDir = m_dir->path();
    QProcessEnvironment environment;
    environment.insert(u"HOME"_s, m_dir->path());
    options.environment = environment;
    m_service = std::make_unique<GatewayService>(options, *m_secrets);
    connect(m_service.get(), &GatewayService::started, this,
            [this](const QString &address) { m_address = address; });
    m_service->start();
    QTRY_VERIFY_WITH_TIMEOUT(!m_address.isEmpty(), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(m_service->keychainState(), gateway::KeychainState::Ready, 5000);
}

Answer TestGatewayProviders::post(const QString &path, const QByteArray &body,
                                  const http::HttpHeaders &headers)
{
    QNetworkRequest request(QUrl(u"http://"_s + m_address + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    for (const auto &header : headers)
        request.setRawHeader(header.name, header.value);
    request.setTransferTimeout(15000);
    std::unique_ptr<QNetworkReply> reply(m_network.post(request, body));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!finished.wait(16000))
        return {};
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(),
            reply->rawHeader("x-quarry-upstream")};
}

void TestGatewayProviders::failsOverBeforeAnswering_data()
{
    QTest::addColumn<int>("status"); // 0: the first provider is unreachable
    QTest::addColumn<QByteArray>("errorType");
    QTest::newRow("429 throttled") << 429 << QByteArray("ThrottlingException");
    QTest::newRow("500") << 500 << QByteArray("InternalServerException");
    QTest::newRow("503") << 503 << QByteArray("ServiceUnavailableException");
    QTest::newRow("unreachable") << 0 << QByteArray();
}

// The client gets the second group's answer, and the third group is never asked.
void TestGatewayProviders::failsOverBeforeAnswering()
{
    QFETCH(int, status);
    QFETCH(QByteArray, errorType);
    FakeBedrock first;
    first.status = status;
    first.errorType = errorType;
    FakeBedrock third;
    serve(providerYaml(u"first"_s, status ? first.server.serverPort() : deadPort(), {}) +
          providerYaml(u"second"_s, m_aws->port(), {}) +
          providerYaml(u"third"_s, third.server.serverPort(), {}));
    const Answer answer = post(u"/grouped"_s, chatBody(u"hello failover"_s));
    QVERIFY2(answer.status == 200, answer.body.constData());
    QVERIFY2(answer.body.contains("Simulated reply"), answer.body.constData());
    QCOMPARE(first.requests.size(), status ? 1 : 0);
    QCOMPARE(third.requests.size(), 0);
}

// A 400 is the client's request, not the provider: another provider would refuse it too.
void TestGatewayProviders::clientErrorsDoNotFailOver()
{
    FakeBedrock first;
    first.status = 400;
    first.errorType = "ValidationException";
    FakeBedrock second;
    serve(providerYaml(u"first"_s, first.server.serverPort(), {}) +
          providerYaml(u"second"_s, second.server.serverPort(), {}));
    const Answer answer = post(u"/grouped"_s, chatBody(u"bad request"_s));
    QCOMPARE(answer.status, 400);
    QCOMPARE(QJsonDocument::fromJson(answer.body)[u"error"_s][u"type"_s].toString(),
             u"invalid_request_error"_s);
    QCOMPARE(second.requests.size(), 0);
}

// The second group's secret is not in the keychain: the gateway goes on to the third, and never
// sends the second an unsigned request.
void TestGatewayProviders::providerWithoutCredentialsIsSkipped()
{
    FakeBedrock first;
    first.status = 429;
    first.errorType = "ThrottlingException";
    FakeBedrock unsigned_;
    serve(providerYaml(u"first"_s, first.server.serverPort(), {}) +
          providerYaml(u"second"_s, unsigned_.server.serverPort(), u"not-stored"_s) +
          providerYaml(u"third"_s, m_aws->port(), {}));
    const Answer answer = post(u"/grouped"_s, chatBody(u"skip the unsigned"_s));
    QVERIFY2(answer.status == 200, answer.body.constData());
    QCOMPARE(first.requests.size(), 1);
    QCOMPARE(unsigned_.requests.size(), 0);
}

// The same when it is the first group that has no credentials.
void TestGatewayProviders::firstProviderWithoutCredentialsIsSkipped()
{
    FakeBedrock unsigned_;
    serve(providerYaml(u"first"_s, unsigned_.server.serverPort(), u"not-stored"_s) +
          providerYaml(u"second"_s, m_aws->port(), {}));
    const Answer answer = post(u"/grouped"_s, chatBody(u"skip the first"_s));
    QCOMPARE(unsigned_.requests.size(), 0);
    QVERIFY2(answer.status == 200, answer.body.constData());
}

// Once the answer has started streaming to the client, a provider that drops the connection is
// reported as an error event: asking another provider then would send a second, different answer.
void TestGatewayProviders::noFailoverOnceStreaming()
{
    FakeBedrock first;
    first.cutStream = true;
    FakeBedrock second;
    serve(providerYaml(u"first"_s, first.server.serverPort(), {}) +
          providerYaml(u"second"_s, second.server.serverPort(), {}));
    const Answer answer = post(u"/grouped"_s, chatBody(u"stream please"_s, true));
    QCOMPARE(answer.status, 200);
    QCOMPARE(first.requests.size(), 1);
    QVERIFY2(answer.body.contains("partial answer"), answer.body.constData()); // the delta arrived
    QVERIFY2(answer.body.contains("data: {\"error\"") && answer.body.contains("Could not reach Bedrock"),
             answer.body.constData()); // then an error event the SDK raises
    QVERIFY(!answer.body.contains("from the fake"));
    QCOMPARE(second.requests.size(), 0);
}

// A client that signs for itself (an AWS SDK pointed at the gateway) does not get its own
// signature, date or session token passed on: Bedrock sees the backend's keys. The request's
// Bedrock parameters (x-amzn-bedrock-*) are kept and signed.
void TestGatewayProviders::passthroughIsResignedWithTheBackendsKeys()
{
    FakeBedrock bedrock;
    bedrock.body =
        R"({"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},"stopReason":"end_turn",)"
        R"("usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}})";
    serve(providerYaml(u"only"_s, bedrock.server.serverPort(), {}));
    const QByteArray body = R"({"messages":[{"role":"user","content":[{"text":"hi"}]}]})";
    const Answer answer =
        post(u"/grouped/model/amazon.titan-text-lite-v1/converse"_s, body,
             {{"Authorization", "AWS4-HMAC-SHA256 Credential=AKIACLIENT0000000001/20200101/us-east-1/bedrock/"
                                "aws4_request, SignedHeaders=host;x-amz-date, Signature=00"},
              {"X-Amz-Date", "20200101T000000Z"},
              {"X-Amz-Security-Token", "client-session-token"},
              {"X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"},
              {"X-Amzn-Bedrock-Trace", "ENABLED"}});
    QVERIFY2(answer.status == 200, answer.body.constData());
    QCOMPARE(bedrock.requests.size(), 1);
    const auto &sent = bedrock.requests.first();
    QVERIFY2(sent.value("authorization").contains("Credential=AKIABACKEND000000001/"),
             sent.value("authorization").constData());
    QVERIFY(!sent.value("authorization").contains("AKIACLIENT"));
    QVERIFY(sent.value("x-amz-date") != "20200101T000000Z");
    QVERIFY2(!sent.contains("x-amz-security-token"), sent.value("x-amz-security-token").constData());
    QVERIFY(sent.value("x-amz-content-sha256") != "UNSIGNED-PAYLOAD");
    QCOMPARE(sent.value("x-amzn-bedrock-trace"), "ENABLED");
    QVERIFY2(sent.value("authorization").contains("x-amzn-bedrock-trace"),
             sent.value("authorization").constData());
}

// A tool polling /v1/models (editors do, every few seconds) costs Bedrock two signed control-plane
// calls the first time and none for the ten minutes after (ModelsCache, tested on its own clock in
// tst_gateway_modelscache).
void TestGatewayProviders::modelListIsAskedForOnceAndThenCached()
{
    FakeBedrock bedrock;
    bedrock.body =
        R"({"modelSummaries":[{"modelId":"anthropic.claude-test-v1:0","providerName":"Anthropic"}],)"
        R"("inferenceProfileSummaries":[{"inferenceProfileId":"us.anthropic.claude-test-v1:0"}]})";
    serve(providerYaml(u"only"_s, bedrock.server.serverPort(), {}, QString()));
    QStringList ids;
    for (int i = 0; i < 2; ++i) {
        QNetworkRequest request(QUrl(u"http://"_s + m_address + u"/grouped/v1/models"_s));
        request.setTransferTimeout(15000);
        std::unique_ptr<QNetworkReply> reply(m_network.get(request));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        QVERIFY(finished.wait(16000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        ids.clear();
        for (const QJsonValue &model : QJsonDocument::fromJson(reply->readAll())[u"data"_s].toArray())
            ids.append(model[u"id"_s].toString());
        QVERIFY2(ids.contains(u"anthropic.claude-test-v1:0"_s) &&
                     ids.contains(u"us.anthropic.claude-test-v1:0"_s),
                 qPrintable(ids.join(u", "_s)));
        QCOMPARE(bedrock.requests.size(), 2);
    }
    QVERIFY2(bedrock.requests.at(0).value(":request-line").startsWith("GET /foundation-models"),
             bedrock.requests.at(0).value(":request-line").constData());
    QVERIFY2(bedrock.requests.at(1).value(":request-line").startsWith("GET /inference-profiles"),
             bedrock.requests.at(1).value(":request-line").constData());
    for (const auto &sent : bedrock.requests)
        QVERIFY(sent.value("authorization").contains("Credential=AKIABACKEND000000001/"));
}

QTEST_GUILESS_MAIN(TestGatewayProviders)
#include "tst_gateway_providers.moc"
