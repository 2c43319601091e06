// Signed and bearer headers never follow a redirect: Bedrock answering 307 to another server is an
// error for the client, and that other server receives nothing at all (Qt would otherwise follow
// the redirect and re-send the Authorization header there).
#include "gateway/UpstreamCall.h"

#include "RedirectServers.h"

#include <QNetworkAccessManager>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;

using quarry::test::Redirector;
using quarry::test::RedirectRecorder;

class TestGatewayCredentialsRedirect : public QObject
{
    Q_OBJECT

private slots:
    void redirectIsAnErrorAndCarriesNothing_data()
    {
        QTest::addColumn<bool>("bearer");
        QTest::addColumn<bool>("streaming");
        QTest::newRow("sigv4") << false << false;
        QTest::newRow("sigv4 stream") << false << true;
        QTest::newRow("bearer") << true << false;
        QTest::newRow("bearer stream") << true << true;
    }

    void redirectIsAnErrorAndCarriesNothing()
    {
        QFETCH(bool, bearer);
        QFETCH(bool, streaming);
        RedirectRecorder recorder;
        QVERIFY(recorder.listen(QHostAddress::LocalHost));
        Redirector redirector("http://127.0.0.1:" + QByteArray::number(recorder.serverPort()) +
                              "/model/amazon.titan-text-lite-v1/converse");
        QVERIFY(redirector.listen(QHostAddress::LocalHost));

        gateway::BackendTarget target;
        target.name = u"agentgateway-system/bedrock"_s;
        target.endpoint.scheme = u"http"_s;
        target.endpoint.host = u"127.0.0.1"_s;
        target.endpoint.port = redirector.serverPort();
        if (bearer) {
            target.credentials.kind = gateway::BedrockCredentials::Kind::BearerToken;
            target.credentials.bearerToken = u"bedrock-api-key-value"_s; // in tests/data/secret-values.txt
        } else {
            target.credentials.kind = gateway::BedrockCredentials::Kind::SigV4;
            target.credentials.aws = {u"AKIAREDIRECTTEST0001"_s, u"wJalrXUtnFEMI-VALUE-MARKER"_s, {}};
        }

        telemetry::CapturedMessage sent;
        telemetry::CapturedMessage received;
        QObject owner;
        auto *call = new gateway::UpstreamCall(target, &sent, &received, &owner);
        gateway::UpstreamRequest request;
        request.encodedPath = streaming ? "/model/amazon.titan-text-lite-v1/converse-stream"
                                        : "/model/amazon.titan-text-lite-v1/converse";
        request.streaming = streaming;
        request.body = R"({"messages":[{"role":"user","content":[{"text":"hello"}]}]})";
        bool finished = false;
        std::optional<bedrock::ApiError> failure;
        gateway::UpstreamCall::Handlers handlers;
        handlers.finished = [&](int, const QByteArray &, const QByteArray &,
                                const std::optional<bedrock::ApiError> &error) {
            finished = true;
            failure = error;
        };
        call->start(request, std::move(handlers));
        // A call that followed the redirect would reach the recorder (and wait there for ever).
        QTRY_VERIFY_WITH_TIMEOUT(finished || recorder.connections > 0, 10000);
        QCOMPARE(recorder.connections, 0);
        QVERIFY(redirector.received.contains("Authorization: ")); // the first hop was signed
        QVERIFY(failure.has_value());
        QCOMPARE(failure->code, u"upstream_redirect"_s);
        QCOMPARE(failure->status, 502);
        QVERIFY2(failure->message.contains(u"307"_s), qPrintable(failure->message));
        // Give a follower time to reach the recorder: it must never be contacted.
        QTest::qWait(300);
        QCOMPARE(recorder.connections, 0);
        QVERIFY(recorder.received.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestGatewayCredentialsRedirect)
#include "tst_gateway_credentials_redirect.moc"
