// UpstreamCall: one call to Bedrock owns everything it creates, so a gateway that has served many
// requests holds no more than one that has served none.
#include "gateway/UpstreamCall.h"
#include "simulator/BedrockSimulator.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;

class TestGatewayUpstream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void finishedCallsLeaveNoReplyBehind()
    {
        bedrock::BedrockSimulator simulator;
        simulator.addIdentity(u"AKIAUPSTREAMTEST0001"_s, u"upstream-test-secret"_s);
        QVERIFY(simulator.listen().ok());

        gateway::BackendTarget target;
        target.name = u"agentgateway-system/bedrock"_s;
        target.endpoint.scheme = u"http"_s;
        target.endpoint.host = u"127.0.0.1"_s;
        target.endpoint.port = simulator.port();
        target.credentials.kind = gateway::BedrockCredentials::Kind::SigV4;
        target.credentials.aws = {u"AKIAUPSTREAMTEST0001"_s, u"upstream-test-secret"_s, {}};

        QNetworkAccessManager network;
        network.setAutoDeleteReplies(false); // as the gateway's request handler has it
        for (const bool streaming : {false, true}) {
            for (int i = 0; i < 5; ++i) {
                telemetry::CapturedMessage sent;
                telemetry::CapturedMessage received;
                QObject owner; // the exchange that owns the call
                auto *call = new gateway::UpstreamCall(network, target, &sent, &received, &owner);
                gateway::UpstreamRequest request;
                request.encodedPath = streaming ? "/model/amazon.titan-text-lite-v1/converse-stream"
                                                : "/model/amazon.titan-text-lite-v1/converse";
                request.streaming = streaming;
                request.body = R"({"messages":[{"role":"user","content":[{"text":"hello"}]}]})";
                int status = 0;
                gateway::UpstreamCall::Handlers handlers;
                handlers.finished = [&status](int code, const QByteArray &, const QByteArray &,
                                              const std::optional<bedrock::ApiError> &) { status = code; };
                call->start(request, std::move(handlers));
                QTRY_COMPARE_WITH_TIMEOUT(status, 200, 10000);
            }
            QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
            QCOMPARE(network.findChildren<QNetworkReply *>().size(), 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestGatewayUpstream)
#include "tst_gateway_upstream.moc"
