// UpstreamCall: one call to Bedrock owns everything it creates, so a gateway that has served many
// requests holds no more than one that has served none; its connections are kept alive for the
// next call, and a call that is abandoned closes its connection.
#include "gateway/UpstreamCall.h"
#include "gateway/upstream/ConnectionPool.h"
#include "simulator/BedrockSimulator.h"

#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

namespace {

// A keep-alive upstream that counts the connections it accepted and answers each request (a head
// ending in a blank line, no body expected beyond Content-Length) with one Converse answer, written
// `chunkBytes` at a time (1: the status line and headers arrive in many reads), or not at all.
struct CountingUpstream
{
    QTcpServer server;
    int connections = 0;
    int requests = 0;
    bool answer = true;
    int chunkBytes = 0; // 0: the answer in one write
    QList<QPointer<QTcpSocket>> sockets;

    CountingUpstream()
    {
        server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&server, &QTcpServer::newConnection, &server, [this] {
            while (QTcpSocket *socket = server.nextPendingConnection()) {
                ++connections;
                sockets.append(socket);
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { onRead(socket); });
            }
        });
    }

    int openConnections() const
    {
        int open = 0;
        for (const auto &socket : sockets)
            open += socket && socket->state() == QAbstractSocket::ConnectedState ? 1 : 0;
        return open;
    }

    void onRead(QTcpSocket *socket)
    {
        QByteArray buffered = socket->property("buffered").toByteArray() + socket->readAll();
        const qsizetype headEnd = buffered.indexOf("\r\n\r\n");
        const qsizetype lengthAt = buffered.toLower().indexOf("content-length: ");
        const qsizetype length =
            lengthAt < 0 ? 0 : buffered.mid(lengthAt + 16, buffered.indexOf('\r', lengthAt) - lengthAt - 16).toInt();
        if (headEnd < 0 || buffered.size() < headEnd + 4 + length) {
            socket->setProperty("buffered", buffered);
            return;
        }
        socket->setProperty("buffered", buffered.mid(headEnd + 4 + length));
        ++requests;
        if (!answer)
            return;
        const QByteArray body = R"({"output":{"message":{"role":"assistant","content":[{"text":"kept"}]}},)"
                                R"("stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}})";
        const QByteArray response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                                    QByteArray::number(body.size()) + "\r\n\r\n" + body;
        if (chunkBytes == 0) {
            socket->write(response);
            return;
        }
        for (qsizetype at = 0; at < response.size(); at += chunkBytes) {
            socket->write(response.mid(at, chunkBytes));
            socket->flush();
            socket->waitForBytesWritten(100);
        }
    }
};

quarry::gateway::BackendTarget targetAt(quint16 port)
{
    quarry::gateway::BackendTarget target;
    target.name = QStringLiteral("agentgateway-system/bedrock");
    target.endpoint.scheme = QStringLiteral("http");
    target.endpoint.host = QStringLiteral("127.0.0.1");
    target.endpoint.port = port;
    target.credentials.kind = quarry::gateway::BedrockCredentials::Kind::SigV4;
    target.credentials.aws = {QStringLiteral("AKIAUPSTREAMTEST0001"), QStringLiteral("upstream-test-secret"), {}};
    return target;
}

quarry::gateway::UpstreamRequest converseRequest()
{
    quarry::gateway::UpstreamRequest request;
    request.encodedPath = "/model/amazon.titan-text-lite-v1/converse";
    request.body = R"({"messages":[{"role":"user","content":[{"text":"hello"}]}]})";
    return request;
}

} // namespace

using namespace Qt::StringLiterals;
using namespace quarry;

class TestGatewayUpstream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Finished calls, streamed or not, hand their connection back to the pool and leave nothing
    // else behind: one kept-alive socket serves all ten in turn.
    void finishedCallsLeaveOnlyTheirIdleConnection()
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

        for (const bool streaming : {false, true}) {
            for (int i = 0; i < 5; ++i) {
                telemetry::CapturedMessage sent;
                telemetry::CapturedMessage received;
                QObject owner; // the exchange that owns the call
                auto *call = new gateway::UpstreamCall(target, &sent, &received, &owner);
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
            QCOMPARE(gateway::upstream::ConnectionPool::forCurrentThread().idleCount(), 1);
        }
    }

    // Calls one after another to one upstream go over one connection, and each gets its own answer
    // even when the status line and headers arrive a few bytes per read.
    void sequentialCallsShareOneConnection()
    {
        for (const int chunkBytes : {0, 3}) {
            CountingUpstream upstream;
            upstream.chunkBytes = chunkBytes;
            const gateway::BackendTarget target = targetAt(upstream.server.serverPort());
            for (int i = 0; i < 3; ++i) {
                telemetry::CapturedMessage sent;
                telemetry::CapturedMessage received;
                QObject owner;
                auto *call = new gateway::UpstreamCall(target, &sent, &received, &owner);
                int status = 0;
                QByteArray answer;
                gateway::UpstreamCall::Handlers handlers;
                handlers.finished = [&](int code, const QByteArray &body, const QByteArray &,
                                        const std::optional<bedrock::ApiError> &) {
                    status = code;
                    answer = body;
                };
                call->start(converseRequest(), std::move(handlers));
                QTRY_COMPARE_WITH_TIMEOUT(status, 200, 10000);
                QVERIFY2(answer.endsWith(R"("totalTokens":2}})"), answer.constData());
                // The inspector's "Bedrock request" line: the URL as sent, with the Host header's port.
                QCOMPARE(sent.startLine, u"POST http://127.0.0.1:%1/model/amazon.titan-text-lite-v1/converse"_s.arg(
                                             upstream.server.serverPort()));
            }
            QCOMPARE(upstream.requests, 3);
            QCOMPARE(upstream.connections, 1);
        }
    }

    // A call abandoned before Bedrock answered (the client went away) closes its connection: it
    // is not handed to the next call with an answer still to come on it.
    void abandonedCallClosesItsConnection()
    {
        CountingUpstream upstream;
        upstream.answer = false;
        const gateway::BackendTarget target = targetAt(upstream.server.serverPort());
        telemetry::CapturedMessage sent;
        telemetry::CapturedMessage received;
        bool finished = false;
        {
            QObject owner;
            auto *call = new gateway::UpstreamCall(target, &sent, &received, &owner);
            gateway::UpstreamCall::Handlers handlers;
            handlers.finished = [&](int, const QByteArray &, const QByteArray &,
                                    const std::optional<bedrock::ApiError> &) { finished = true; };
            call->start(converseRequest(), std::move(handlers));
            QTRY_COMPARE_WITH_TIMEOUT(upstream.requests, 1, 10000);
            call->abort();
        }
        QTRY_COMPARE_WITH_TIMEOUT(upstream.openConnections(), 0, 10000);
        QVERIFY(!finished);
        QCOMPARE(gateway::upstream::ConnectionPool::forCurrentThread().idleCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestGatewayUpstream)
#include "tst_gateway_upstream.moc"
