// End-to-end tests of the local HTTP server: a real listener on 127.0.0.1:0 and raw socket clients.
#include "http/Connection.h"
#include "http/HttpServer.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSet>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimeZone>
#include <QTimer>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <optional>
#include <vector>

using namespace Qt::StringLiterals;
using namespace quarry::http;

namespace {

// State the handlers (on worker threads) share with the test (on the main thread).
struct Shared
{
    std::atomic<int> clientGone{0};
    std::atomic<bool> writesAfterGoneWereIgnored{false};
    std::atomic<bool> releaseStream{false};
    std::atomic<int> drained{0};
    QMutex mutex;
    QSet<QThread *> handlerThreads;
};

constexpr qsizetype kBigStreamBytes = 8 * 1024 * 1024;

class TestHandler final : public RequestHandler
{
public:
    explicit TestHandler(Shared *shared) : m_shared(shared) {}

    void handle(HttpRequest request, std::shared_ptr<ResponseWriter> writer) override
    {
        {
            QMutexLocker lock(&m_shared->mutex);
            m_shared->handlerThreads.insert(QThread::currentThread());
        }
        if (request.path == "/echo")
            echo(request, *writer);
        else if (request.path == "/headers")
            writer->respond(200, {}, headerList(request));
        else if (request.path == "/slow")
            QTimer::singleShot(150, &m_context, [writer] { writer->respond(200, {}, "slow"_ba); });
        else if (request.path == "/stream")
            stream(writer);
        else if (request.path == "/hang")
            hang(writer);
        else if (request.path == "/big")
            big(writer);
        else if (request.path == "/drop")
            return; // the writer goes away unanswered
        else
            writer->respond(404, {}, "no such test route"_ba);
    }

private:
    // Every header the handler sees, one "name: value" a line.
    static QByteArray headerList(const HttpRequest &request)
    {
        QByteArray out;
        for (const HttpHeader &header : request.headers)
            out += header.name + ": " + header.value + '\n';
        return out;
    }

    static void echo(const HttpRequest &request, ResponseWriter &writer)
    {
        const HttpHeaders headers{{"Content-Type"_ba, "text/plain"_ba},
                                  {"X-Saw-Test-Header"_ba, request.header("x-TEST")},
                                  {"X-Query"_ba, request.query}};
        writer.respond(200, headers, request.method + ' ' + request.path + '\n' + request.body);
    }

    void stream(const std::shared_ptr<ResponseWriter> &writer)
    {
        writer->startStream(200, {{"Content-Type"_ba, "text/event-stream"_ba}});
        writer->writeStreamData("data: first\n\n"_ba);
        auto *poll = new QTimer(&m_context);
        QObject::connect(poll, &QTimer::timeout, &m_context, [this, writer, poll] {
            if (!m_shared->releaseStream.load())
                return;
            writer->writeStreamData("data: second\n\n"_ba);
            writer->endStream();
            poll->deleteLater();
            poll->stop();
        });
        poll->start(10);
    }

    void hang(const std::shared_ptr<ResponseWriter> &writer)
    {
        writer->startStream(200, {{"Content-Type"_ba, "text/event-stream"_ba}});
        writer->writeStreamData("data: hello\n\n"_ba);
        std::weak_ptr<ResponseWriter> weak = writer;
        writer->setClientGoneCallback([shared = m_shared, weak] {
            ++shared->clientGone;
            if (auto alive = weak.lock()) {
                alive->writeStreamData("data: too late\n\n"_ba);
                alive->endStream();
                shared->writesAfterGoneWereIgnored =
                    !alive->isClientConnected() && alive->pendingBytes() == 0;
            }
        });
        m_held.push_back(writer);
    }

    // Writes kBigStreamBytes, pausing above the high-water mark until drained.
    void big(const std::shared_ptr<ResponseWriter> &writer)
    {
        writer->startStream(200, {});
        auto written = std::make_shared<qsizetype>(0);
        auto pump = std::make_shared<std::function<void()>>();
        std::weak_ptr<std::function<void()>> weakPump = pump;
        *pump = [writer, written, weakPump] {
            const QByteArray piece(64 * 1024, 'x');
            while (*written < kBigStreamBytes) {
                if (writer->pendingBytes() > ResponseWriter::kHighWaterBytes)
                    return; // resumed by the drained callback
                writer->writeStreamData(piece);
                *written += piece.size();
            }
            writer->endStream();
        };
        writer->setDrainedCallback([shared = m_shared, pump] {
            ++shared->drained;
            (*pump)();
        });
        (*pump)();
    }

    Shared *m_shared;
    QObject m_context; // created on the worker thread: timers fire there
    std::vector<std::shared_ptr<ResponseWriter>> m_held;
};

struct Response
{
    int status = 0;
    QMap<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QString errorCode() const
    {
        return QJsonDocument::fromJson(body)
            .object()
            .value(u"error"_s)
            .toObject()
            .value(u"code"_s)
            .toString();
    }
};

// A raw HTTP/1.1 client: bytes out exactly as given, responses read with Beast's response parser
// (an independent parser: the server only uses Beast's request side).
class RawClient
{
public:
    bool connectTo(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        return QTest::qWaitFor([&] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 5000);
    }

    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }

    std::optional<Response> read(int timeoutMs = 5000)
    {
        namespace bhttp = boost::beast::http;
        bhttp::response_parser<bhttp::string_body> parser;
        parser.eager(true);
        parser.body_limit(boost::none);
        QElapsedTimer clock;
        clock.start();
        while (true) {
            if (!m_buffer.isEmpty()) {
                boost::beast::error_code ec;
                const auto used = parser.put(
                    boost::asio::const_buffer(m_buffer.constData(), std::size_t(m_buffer.size())), ec);
                m_buffer.remove(0, qsizetype(used));
                if (ec && ec != bhttp::error::need_more) {
                    qWarning() << "client parse error" << QString::fromStdString(ec.message());
                    return std::nullopt;
                }
                if (parser.is_done())
                    return toResponse(parser.get());
                if (used > 0 && !ec)
                    continue;
            }
            if (!waitForBytes(int(timeoutMs - clock.elapsed())))
                return std::nullopt;
        }
    }

    // Raw bytes until `needle` has arrived (or the timeout); returns everything received so far.
    QByteArray readUntil(const QByteArray &needle, int timeoutMs = 5000)
    {
        QElapsedTimer clock;
        clock.start();
        while (!m_buffer.contains(needle) && waitForBytes(int(timeoutMs - clock.elapsed()))) {
        }
        return m_buffer;
    }

    bool waitForClose(int timeoutMs = 5000)
    {
        return QTest::qWaitFor(
            [&] {
                m_buffer += m_socket.readAll();
                return m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
    }

    QByteArray &buffer() { return m_buffer; }
    QTcpSocket &socket() { return m_socket; }

private:
    bool waitForBytes(int timeoutMs)
    {
        if (timeoutMs <= 0)
            return false;
        const bool got = QTest::qWaitFor(
            [&] {
                return m_socket.bytesAvailable() > 0 || m_socket.state() != QAbstractSocket::ConnectedState;
            },
            timeoutMs);
        const QByteArray data = m_socket.readAll();
        m_buffer += data;
        return got && !data.isEmpty();
    }

    template <class Message> static Response toResponse(const Message &message)
    {
        Response response;
        response.status = int(message.result_int());
        for (const auto &field : message) {
            const auto name = field.name_string();
            const auto value = field.value();
            response.headers.insert(QByteArray(name.data(), qsizetype(name.size())).toLower(),
                                    QByteArray(value.data(), qsizetype(value.size())));
        }
        response.body = QByteArray(message.body().data(), qsizetype(message.body().size()));
        return response;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

QByteArray get(const QByteArray &target, const QByteArray &extra = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + extra + "\r\n";
}

QByteArray post(const QByteArray &target, const QByteArray &body, const QByteArray &extra = {})
{
    return "POST " + target +
           " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n" +
           extra + "\r\n" + body;
}

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HttpServer> startServer(ServerOptions options = {})
    {
        auto server = std::make_unique<HttpServer>(
            [shared = &m_shared] { return std::make_unique<TestHandler>(shared); }, std::move(options));
        const quarry::Status status = server->listen(QHostAddress::LocalHost, 0);
        if (!status.ok())
            qWarning() << status.error();
        return status.ok() ? std::move(server) : nullptr;
    }

    std::optional<Response> exchange(HttpServer &server, const QByteArray &request)
    {
        RawClient client;
        if (!client.connectTo(server.serverPort()))
            return std::nullopt;
        client.send(request);
        return client.read();
    }

    Shared m_shared;

private Q_SLOTS:
    void init()
    {
        m_shared.clientGone = 0;
        m_shared.writesAfterGoneWereIgnored = false;
        m_shared.releaseStream = false;
        m_shared.drained = 0;
        QMutexLocker lock(&m_shared.mutex);
        m_shared.handlerThreads.clear();
    }

    void getAndPostEcho()
    {
        auto server = startServer();
        QVERIFY(server);
        const auto got = exchange(*server, get("/echo?x=1", "X-Test: seen\r\n"));
        QVERIFY(got);
        QCOMPARE(got->status, 200);
        QCOMPARE(got->body, "GET /echo\n"_ba);
        QCOMPARE(got->header("x-query"), "x=1"_ba);
        QCOMPARE(got->header("x-saw-test-header"), "seen"_ba); // header lookup ignores case
        QCOMPARE(got->header("server"), "Quarry"_ba);
        QCOMPARE(got->header("content-length"), "10"_ba);
        QDateTime date = QLocale::c().toDateTime(QString::fromLatin1(got->header("date")),
                                                 u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s);
        date.setTimeZone(QTimeZone::utc());
        QVERIFY2(date.isValid(), got->header("date").constData());
        QVERIFY(qAbs(date.secsTo(QDateTime::currentDateTimeUtc())) < 5);

        const auto posted = exchange(*server, post("/echo", "hello body"_ba));
        QVERIFY(posted);
        QCOMPARE(posted->body, "POST /echo\nhello body"_ba);
    }

    void headRequestHasNoBody()
    {
        auto server = startServer();
        RawClient client;
        QVERIFY(client.connectTo(server->serverPort()));
        client.send("HEAD /echo HTTP/1.1\r\nHost: localhost\r\n\r\n" + get("/echo?after"));
        // Beast's response parser cannot know the first was HEAD, so read raw bytes.
        const QByteArray raw = client.readUntil("GET /echo\n");
        QVERIFY(raw.startsWith("HTTP/1.1 200 OK\r\n"));
        QCOMPARE(raw.count("HTTP/1.1 200 OK"), 2);
        QVERIFY(raw.contains("Content-Length: 11\r\n")); // "HEAD /echo\n", as GET would send
        QVERIFY(!raw.contains("HEAD /echo"));            // the HEAD response carried no body
    }

    void keepAliveServesTwoRequestsOnOneSocket()
    {
        auto server = startServer();
        RawClient client;
        QVERIFY(client.connectTo(server->serverPort()));
        client.send(get("/echo?first"));
        const auto first = client.read();
        QVERIFY(first);
        QVERIFY(first->header("connection").isEmpty());
        client.send(post("/echo", "second"_ba));
        const auto second = client.read();
        QVERIFY(second);
        QCOMPARE(second->body, "POST /echo\nsecond"_ba);
        QCOMPARE(client.socket().state(), QAbstractSocket::ConnectedState);
    }

    void connectionCloseAndHttp10Close()
    {
        auto server = startServer();
        for (const QByteArray &request :
             {get("/echo", "Connection: close\r\n"), "GET /echo HTTP/1.0\r\n\r\n"_ba}) {
            RawClient client;
            QVERIFY(client.connectTo(server->serverPort()));
            client.send(request);
            const auto got = client.read();
            QVERIFY(got);
            QCOMPARE(got->status, 200);
            QCOMPARE(got->header("connection"), "close"_ba);
            QVERIFY(client.waitForClose());
        }
        // HTTP/1.0 asking for keep-alive keeps the connection.
        RawClient client;
        QVERIFY(client.connectTo(server->serverPort()));
        client.send("GET /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        const auto first = client.read();
        QVERIFY(first);
        QCOMPARE(first->header("connection"), "keep-alive"_ba); // HTTP/1.0 clients wait for this
        client.send("GET /echo?again HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        const auto again = client.read();
        QVERIFY(again);
        QCOMPARE(again->header("x-query"), "again"_ba);
    }

    // After "Connection: close" the server half-closes and drains what the client still sends. The
    // client's own close ends that at once, not when the linger time runs out.
    void aLingeringConnectionEndsWhenTheClientCloses()
    {
        auto server = startServer();
        RawClient client;
        QVERIFY(client.connectTo(server->serverPort()));
        client.send(get("/echo", "Connection: close\r\n"));
        QVERIFY(client.read());
        client.send("trailing bytes the server drains");
        QVERIFY(client.waitForClose()); // the server's FIN, answered by the client's close
        QTRY_COMPARE_WITH_TIMEOUT(server->activeConnections(), 0, int(Connection::kLingerTime.count() / 2));
    }

    void pipelinedRequestsAnswerInOrder()
    {
        auto server = startServer();
        RawClient client;
        QVERIFY(client.connectTo(server->serverPort()));
        // The first response is produced later than the second would be: order must still hold.
        client.send(get("/slow") + get("/echo?2") + post("/echo", "three"_ba));
        const auto one = client.read();
        const auto two = client.read();
        const auto three = client.read();
        QVERIFY(one && two && three);
        QCOMPARE(one->body, "slow"_ba);
        QCOMPARE(two->header("x-query"), "2"_ba);
        QCOMPARE(three->body, "POST /echo\nthree"_ba);
    }

    void requestSplitOneByteAtATime()
    {
        auto server = startServer();
        RawClient client;
        QVERIFY(client.connectTo(server->serverPort()));
        const QByteArray request = post("/echo", "byte by byte"_ba, "X-Test: split\r\n");
        for (char byte : request) {
            client.send(QByteArray(1, byte));
            QTest::qWait(1);
        }
        const auto got = client.read();
        QVERIFY(got);
        QCOMPARE(got->body, "POST /echo\nbyte by byte"_ba);
        QCOMPARE(got->header("x-saw-test-header"), "split"_ba);
    }

    void chunkedRequestBody()
    {
        auto server = startServer();
        RawClient client;
        QVERIFY(client.connectTo(server->serverPort()));
        client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "5\r\nhello\r\n1;ext=1\r\n \r\n");
        QTest::qWait(20);
        client.send("6\r\nchunks\r\n0\r\nX-Trailer: t\r\n\r\n");
        const auto got = client.read();
        QVERIFY(got);
        QCOMPARE(got->body, "POST /echo\nhello chunks"_ba);
    }

    void expectContinue()
    {
        auto server = startServer();
        RawClient client;
        QVERIFY(client.connectTo(server->serverPort()));
        client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n"
                    "Expect: 100-continue\r\n\r\n");
        const auto interim = client.read();
        QVERIFY(interim);
        QCOMPARE(interim->status, 100);
        client.send("body");
        const auto got = client.read();
        QVERIFY(got);
        QCOMPARE(got->status, 200);
        QCOMPARE(got->body, "POST /echo\nbody"_ba);
    }

    void limits_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        const QByteArray bigHeader = "X-Big: " + QByteArray(2000, 'a') + "\r\n";
        QTest::newRow("header too large")
            << get("/echo", bigHeader) << 431 << u"request_header_fields_too_large"_s;
        QTest::newRow("header too large, unfinished")
            << "GET /echo HTTP/1.1\r\nX-Big: " + QByteArray(2000, 'a') << 431
            << u"request_header_fields_too_large"_s;
        QTest::newRow("content-length too large")
            << "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000\r\n\r\n"_ba << 413
            << u"payload_too_large"_s;
        QTest::newRow("chunked total too large")
            << "POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
               "300\r\n" +
                   QByteArray(0x300, 'a') + "\r\n300\r\n" + QByteArray(0x300, 'b') + "\r\n0\r\n\r\n"
            << 413 << u"payload_too_large"_s;
        QTest::newRow("bad header line")
            << "GET / HTTP/1.1\r\nHost: localhost\r\nNo colon here\r\n\r\n"_ba << 400 << u"bad_request"_s;
        QTest::newRow("garbage") << "\x01\x02 nonsense\r\n\r\n"_ba << 400 << u"bad_request"_s;
        QTest::newRow("HTTP/2.0 on the wire")
            << "GET / HTTP/2.0\r\nHost: localhost\r\n\r\n"_ba << 400 << u"bad_request"_s;
        QTest::newRow("content-length and chunked")
            << "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"_ba
            << 400 << u"bad_request"_s;
        QTest::newRow("transfer-encoding not chunked")
            << "POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\nabc"_ba << 400
            << u"bad_request"_s;
        QTest::newRow("two different content-lengths")
            << "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"_ba
            << 400 << u"bad_request"_s;
        const QByteArray chunkedHead =
            "POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n";
        QTest::newRow("chunk extension too long")
            << chunkedHead + "5;x=" + QByteArray(5000, 'e') + "\r\nhello\r\n0\r\n\r\n"
            << 400 << u"bad_request"_s;
        QTest::newRow("chunk extension that never ends")
            << chunkedHead + "5;x=" + QByteArray(5000, 'e') << 400 << u"bad_request"_s;
        QTest::newRow("trailer section too large")
            << chunkedHead + "3\r\nabc\r\n0\r\nX-T: " + QByteArray(2000, 't') + "\r\n\r\n"
            << 431 << u"request_header_fields_too_large"_s;
        QTest::newRow("trailer section too large, unfinished")
            << chunkedHead + "3\r\nabc\r\n0\r\nX-T: " + QByteArray(2000, 't') << 431
            << u"request_header_fields_too_large"_s;
        QTest::newRow("two hosts") << "GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n"_ba
                                   << 400 << u"bad_request"_s;
    }

    void limits()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QFETCH(QString, code);
        ServerOptions options;
        options.maxHeaderBytes = 1024;
        options.maxBodyBytes = 1024;
        auto server = startServer(options);
        RawClient client;
        QVERIFY(client.connectTo(server->serverPort()));
        client.send(request);
        const auto got = client.read();
        QVERIFY(got);
        QCOMPARE(got->status, status);
        QCOMPARE(got->header("content-type"), "application/json"_ba);
        QCOMPARE(got->errorCode(), code);
        QCOMPARE(got->header("connection"), "close"_ba);
        QVERIFY(client.waitForClose());
    }

    void bodyAtTheLimitIsAccepted()
    {
        ServerOptions options;
        options.maxBodyBytes = 1024;
        auto server = startServer(options);
        const auto got = exchange(*server, post("/echo", QByteArray(1024, 'z')));
        QVERIFY(got);
        QCOMPARE(got->status, 200);
        QCOMPARE(got->body.size(), qsizetype(1024 + 11));
    }

    void hostCheck_data()
    {
        QTest::addColumn<QByteArray>("hostLine");
        QTest::addColumn<int>("status");
        QTest::newRow("evil.example") << "Host: evil.example\r\n"_ba << 403;
        QTest::newRow("localhost.evil.example") << "Host: localhost.evil.example\r\n"_ba << 403;
        QTest::newRow("localhost:PORT") << "Host: localhost:PORT\r\n"_ba << 200;
        QTest::newRow("LocalHost") << "Host: LocalHost\r\n"_ba << 200;
        QTest::newRow("127.0.0.1") << "Host: 127.0.0.1\r\n"_ba << 200;
        QTest::newRow("127.0.0.1:PORT") << "Host: 127.0.0.1:PORT\r\n"_ba << 200;
        QTest::newRow("[::1]:PORT") << "Host: [::1]:PORT\r\n"_ba << 200;
        QTest::newRow("[::1]") << "Host: [::1]\r\n"_ba << 200;
        QTest::newRow("localhost on another port") << "Host: localhost:1\r\n"_ba << 403;
        QTest::newRow("localhost:") << "Host: localhost:\r\n"_ba << 403;
        QTest::newRow("evil rebinding to our port") << "Host: evil.example:PORT\r\n"_ba << 403;
        QTest::newRow("missing") << QByteArray() << 403;
    }

    void hostCheck()
    {
        QFETCH(QByteArray, hostLine);
        QFETCH(int, status);
        auto server = startServer();
        hostLine.replace("PORT", QByteArray::number(server->serverPort()));
        const auto got = exchange(*server, "GET /echo HTTP/1.1\r\n" + hostLine + "\r\n");
        QVERIFY(got);
        QCOMPARE(got->status, status);
        if (status == 403) {
            QCOMPARE(got->errorCode(), u"host_not_allowed"_s);
            const QJsonObject error =
                QJsonDocument::fromJson(got->body).object().value(u"error"_s).toObject();
            QCOMPARE(error.value(u"type"_s).toString(), u"permission_error"_s);
            QVERIFY(error.value(u"message"_s).toString().contains(u"DNS-rebinding"_s));
        }
    }

    void hostCheckCanBeTurnedOff()
    {
        ServerOptions options;
        options.checkHost = false;
        auto server = startServer(options);
        const auto got = exchange(*server, "GET /echo HTTP/1.1\r\nHost: my-laptop.lan\r\n\r\n"_ba);
        QVERIFY(got);
        QCOMPARE(got->status, 200);
    }

    void originCheck()
    {
        ServerOptions options;
        options.allowedOrigins = {"http://localhost:3000"_ba};
        auto server = startServer(options);
        const auto denied = exchange(*server, get("/echo", "Origin: https://evil.example\r\n"));
        QVERIFY(denied);
        QCOMPARE(denied->status, 403);
        QCOMPARE(denied->errorCode(), u"origin_not_allowed"_s);
        const auto allowed = exchange(*server, get("/echo", "Origin: http://localhost:3000\r\n"));
        QVERIFY(allowed);
        QCOMPARE(allowed->status, 200);
        const auto noOrigin = exchange(*server, get("/echo"));
        QVERIFY(noOrigin);
        QCOMPARE(noOrigin->status, 200);
    }

    void streamArrivesBeforeHandlerEndsIt()
    {
        auto server = startServer();
        RawClient client;
        QVERIFY(client.connectTo(server->serverPort()));
        client.send(get("/stream"));
        const QByteArray early = client.readUntil("data: first\n\n");
        QVERIFY2(early.contains("data: first\n\n"), early.constData());
        QVERIFY(early.contains("Transfer-Encoding: chunked\r\n"));
        QVERIFY(!early.contains("data: second"));
        QTest::qWait(100);
        QVERIFY(!client.buffer().contains("0\r\n\r\n")); // the stream is still open
        m_shared.releaseStream = true;
        client.readUntil("data: second\n\n\r\n0\r\n\r\n");
        // The whole response, decoded by an independent parser.
        const auto whole = client.read();
        QVERIFY(whole);
        QCOMPARE(whole->body, "data: first\n\ndata: second\n\n"_ba);
    }

    void clientDisconnectMidStreamFiresClientGone()
    {
        auto server = startServer();
        {
            RawClient client;
            QVERIFY(client.connectTo(server->serverPort()));
            client.send(get("/hang"));
            QVERIFY(client.readUntil("data: hello").contains("data: hello"));
            QCOMPARE(m_shared.clientGone.load(), 0);
            client.socket().abort();
        }
        QTRY_COMPARE(m_shared.clientGone.load(), 1);
        QVERIFY(m_shared.writesAfterGoneWereIgnored.load());
        QTRY_COMPARE(server->activeConnections(), 0);
        QTest::qWait(50);
        QCOMPARE(m_shared.clientGone.load(), 1); // once
    }

    void droppedWriterBecomes500()
    {
        auto server = startServer();
        const auto got = exchange(*server, get("/drop"));
        QVERIFY(got);
        QCOMPARE(got->status, 500);
        QCOMPARE(got->errorCode(), u"no_response"_s);
    }

    void backpressureDrainsAndDeliversEverything()
    {
        auto server = startServer();
        RawClient client;
        QVERIFY(client.connectTo(server->serverPort()));
        client.socket().setReadBufferSize(64 * 1024); // stop reading so the server's buffer fills
        client.send(get("/big"));
        QTest::qWait(300);
        client.socket().setReadBufferSize(0);
        const auto got = client.read(20000);
        QVERIFY(got);
        QCOMPARE(got->body.size(), kBigStreamBytes);
        QVERIFY(m_shared.drained.load() >= 1);
    }

    // Issue 12 item 6: trailer fields arrive after the guard ran; the handler never sees them.
    void trailersAreDropped()
    {
        auto server = startServer();
        const auto got =
            exchange(*server, "POST /headers HTTP/1.1\r\nHost: localhost\r\nX-Test: head\r\n"
                              "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n"
                              "Host: evil.example\r\nx-amzn-bedrock-guardrailidentifier: gr-evil\r\n"
                              "X-Test: trailer\r\n\r\n"_ba);
        QVERIFY(got);
        QCOMPARE(got->status, 200);
        QVERIFY2(got->body.contains("Host: localhost\n"), got->body.constData());
        QVERIFY2(got->body.contains("X-Test: head\n"), got->body.constData());
        QVERIFY2(!got->body.contains("evil"), got->body.constData());
        QVERIFY2(!got->body.contains("guardrail"), got->body.constData());
        QVERIFY2(!got->body.contains("trailer"), got->body.constData());
    }

    // Issue 12 item 5: a request whose headers drip in is answered 408 at the header deadline,
    // while another client is served meanwhile.
    void slowHeadersAnswer408()
    {
        ServerOptions options;
        options.headerTimeoutMs = 400;
        auto server = startServer(options);
        RawClient slow;
        QVERIFY(slow.connectTo(server->serverPort()));
        QElapsedTimer clock;
        clock.start();
        slow.send("GET /echo HTTP/1.1\r\n");
        bool servedMeanwhile = false;
        while (clock.elapsed() < 3000 && slow.socket().state() == QAbstractSocket::ConnectedState &&
               !slow.buffer().contains("\r\n\r\n")) {
            slow.send("X-Drip: 1\r\n"); // a byte every so often: it used to reset the idle timer
            if (!servedMeanwhile) {
                const auto normal = exchange(*server, get("/echo"));
                servedMeanwhile = normal && normal->status == 200;
            }
            slow.readUntil("\r\n\r\n", 50);
        }
        const auto got = slow.read();
        QVERIFY(got);
        QCOMPARE(got->status, 408);
        QCOMPARE(got->errorCode(), u"request_timeout"_s);
        QVERIFY2(clock.elapsed() >= 350 && clock.elapsed() < 2500,
                 QByteArray::number(clock.elapsed()).constData());
        QVERIFY(servedMeanwhile);
        QVERIFY(slow.waitForClose());
        QTRY_COMPARE(server->activeConnections(), 0);
    }

    // A body slower than minBodyBytesPerSecond after the grace period: 408.
    void slowBodyAnswers408()
    {
        ServerOptions options;
        options.bodyGraceMs = 400;
        options.minBodyBytesPerSecond = 1024;
        auto server = startServer(options);
        RawClient slow;
        QVERIFY(slow.connectTo(server->serverPort()));
        QElapsedTimer clock;
        clock.start();
        slow.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\nstart");
        while (clock.elapsed() < 3000 && slow.socket().state() == QAbstractSocket::ConnectedState &&
               !slow.buffer().contains("\r\n\r\n")) {
            slow.send("x"); // ~20 bytes per second
            slow.readUntil("\r\n\r\n", 50);
        }
        const auto normal = exchange(*server, post("/echo", "fast"));
        QVERIFY(normal);
        QCOMPARE(normal->status, 200);
        const auto got = slow.read();
        QVERIFY(got);
        QCOMPARE(got->status, 408);
        QCOMPARE(got->errorCode(), u"request_timeout"_s);
        QVERIFY2(clock.elapsed() >= 350 && clock.elapsed() < 2500,
                 QByteArray::number(clock.elapsed()).constData());
        QVERIFY(slow.waitForClose());
    }

    // A body at a good rate, however long it takes, is not cut.
    void steadyBodyIsServed()
    {
        ServerOptions options;
        options.bodyGraceMs = 200;
        options.minBodyBytesPerSecond = 1024;
        auto server = startServer(options);
        RawClient client;
        QVERIFY(client.connectTo(server->serverPort()));
        client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 8000\r\n\r\n");
        for (int i = 0; i < 8; ++i) { // 1,000 bytes per 100 ms: ~10 KB/s for 800 ms
            client.send(QByteArray(1000, 'a'));
            QTest::qWait(100);
        }
        const auto got = client.read();
        QVERIFY(got);
        QCOMPARE(got->status, 200);
    }

    // A trailer section that never ends falls under the header deadline.
    void endlessTrailerAnswers408()
    {
        ServerOptions options;
        options.headerTimeoutMs = 400;
        options.bodyGraceMs = 60000;
        auto server = startServer(options);
        RawClient slow;
        QVERIFY(slow.connectTo(server->serverPort()));
        QElapsedTimer clock;
        clock.start();
        slow.send(
            "POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n");
        while (clock.elapsed() < 3000 && slow.socket().state() == QAbstractSocket::ConnectedState &&
               !slow.buffer().contains("\r\n\r\n")) {
            slow.send("X-Drip: 1\r\n");
            slow.readUntil("\r\n\r\n", 50);
        }
        const auto got = slow.read();
        QVERIFY(got);
        QCOMPARE(got->status, 408);
        QVERIFY2(clock.elapsed() < 2500, QByteArray::number(clock.elapsed()).constData());
    }

    // One client address may not take every connection: beyond its share, 503 with a reason.
    void perClientConnectionCap()
    {
        ServerOptions options;
        options.maxConnectionsPerPeer = 2;
        auto server = startServer(options);
        RawClient first;
        RawClient second;
        for (RawClient *client : {&first, &second}) {
            QVERIFY(client->connectTo(server->serverPort()));
            client->send(get("/echo"));
            QVERIFY(client->read());
        }
        {
            RawClient third;
            QVERIFY(third.connectTo(server->serverPort()));
            const auto refused = third.read();
            QVERIFY(refused);
            QCOMPARE(refused->status, 503);
            QCOMPARE(refused->errorCode(), u"too_many_connections_from_client"_s);
            QVERIFY(third.waitForClose());
        }
        first.socket().disconnectFromHost();
        QTRY_COMPARE(server->activeConnections(), 1);
        RawClient fourth;
        QVERIFY(fourth.connectTo(server->serverPort()));
        fourth.send(get("/echo"));
        const auto served = fourth.read();
        QVERIFY(served);
        QCOMPARE(served->status, 200);
    }

    // Issue 12 item 7: Sec-Fetch-Site and CORS, over the wire.
    void crossSiteRequests_data()
    {
        QTest::addColumn<QByteArray>("extra");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<bool>("cors");
        QTest::newRow("img from another site")
            << "Sec-Fetch-Site: cross-site\r\n"_ba << 403 << u"cross_site_request"_s << false;
        QTest::newRow("same-site, no Origin")
            << "Sec-Fetch-Site: same-site\r\n"_ba << 403 << u"cross_site_request"_s << false;
        QTest::newRow("same-site, other Origin")
            << "Sec-Fetch-Site: same-site\r\nOrigin: http://localhost:9999\r\n"_ba << 403
            << u"origin_not_allowed"_s << false;
        QTest::newRow("cross-site, allowed Origin")
            << "Sec-Fetch-Site: cross-site\r\nOrigin: http://localhost:3000\r\n"_ba << 200 << QString()
            << true;
        QTest::newRow("same-origin") << "Sec-Fetch-Site: same-origin\r\n"_ba << 200 << QString() << false;
        QTest::newRow("typed URL") << "Sec-Fetch-Site: none\r\n"_ba << 200 << QString() << false;
        QTest::newRow("no browser") << QByteArray() << 200 << QString() << false;
    }

    void crossSiteRequests()
    {
        QFETCH(QByteArray, extra);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(bool, cors);
        ServerOptions options;
        options.allowedOrigins = {"http://localhost:3000"_ba};
        auto server = startServer(options);
        const auto got = exchange(*server, get("/echo", extra));
        QVERIFY(got);
        QCOMPARE(got->status, status);
        if (!code.isEmpty()) {
            QCOMPARE(got->errorCode(), code);
            QVERIFY(QString::fromUtf8(got->body).contains(u"allowed origins"_s));
        }
        QCOMPARE(got->header("access-control-allow-origin"),
                 cors ? "http://localhost:3000"_ba : QByteArray());
        QCOMPARE(got->header("vary"), cors ? "Origin"_ba : QByteArray());
    }

    void corsPreflight()
    {
        ServerOptions options;
        options.allowedOrigins = {"http://localhost:3000"_ba};
        auto server = startServer(options);
        const QByteArray preflight = "OPTIONS /bedrock/v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                                     "Access-Control-Request-Method: POST\r\n"
                                     "Access-Control-Request-Headers: content-type, authorization\r\n";
        const auto allowed = exchange(*server, preflight + "Origin: http://localhost:3000\r\n"
                                                           "Sec-Fetch-Site: same-site\r\n\r\n");
        QVERIFY(allowed);
        QCOMPARE(allowed->status, 204);
        QCOMPARE(allowed->header("access-control-allow-origin"), "http://localhost:3000"_ba);
        QVERIFY(allowed->header("access-control-allow-methods").contains("POST"));
        QCOMPARE(allowed->header("access-control-allow-headers"), "content-type, authorization"_ba);
        QCOMPARE(allowed->header("access-control-max-age"), "600"_ba);
        QCOMPARE(allowed->header("vary"), "Origin"_ba);
        const auto refused = exchange(*server, preflight + "Origin: http://evil.example\r\n\r\n");
        QVERIFY(refused);
        QCOMPARE(refused->status, 403);
        QVERIFY(refused->header("access-control-allow-origin").isEmpty());
        const auto noOrigin = exchange(*server, preflight + "\r\n");
        QVERIFY(noOrigin);
        QCOMPARE(noOrigin->status, 403);
    }

    void maxConnectionsAnswers503()
    {
        ServerOptions options;
        options.maxConnections = 2;
        auto server = startServer(options);
        RawClient first;
        RawClient second;
        for (RawClient *client : {&first, &second}) {
            QVERIFY(client->connectTo(server->serverPort()));
            client->send(get("/echo"));
            QVERIFY(client->read());
        }
        QCOMPARE(server->activeConnections(), 2);
        {
            RawClient third;
            QVERIFY(third.connectTo(server->serverPort()));
            const auto refused = third.read();
            QVERIFY(refused);
            QCOMPARE(refused->status, 503);
            QCOMPARE(refused->errorCode(), u"too_many_connections"_s);
            QVERIFY(third.waitForClose());
        }
        first.socket().disconnectFromHost();
        QTRY_COMPARE(server->activeConnections(), 1);
        RawClient fourth;
        QVERIFY(fourth.connectTo(server->serverPort()));
        fourth.send(get("/echo"));
        const auto served = fourth.read();
        QVERIFY(served);
        QCOMPARE(served->status, 200);
    }

    void idleConnectionsAreClosed()
    {
        ServerOptions options;
        options.idleTimeoutMs = 300;
        auto server = startServer(options);
        RawClient client;
        QVERIFY(client.connectTo(server->serverPort()));
        client.send(get("/echo"));
        QVERIFY(client.read());
        QElapsedTimer clock;
        clock.start();
        QVERIFY(client.waitForClose(5000));
        QVERIFY(clock.elapsed() >= 250);
        QTRY_COMPARE(server->activeConnections(), 0);
    }

    void handlersRunOnWorkerThreads()
    {
        ServerOptions options;
        options.workerThreads = 3;
        auto server = startServer(options);
        QCOMPARE(server->workerCount(), 3);
        for (int i = 0; i < 6; ++i)
            QVERIFY(exchange(*server, get("/echo")));
        QMutexLocker lock(&m_shared.mutex);
        QCOMPARE(m_shared.handlerThreads.size(), 3); // round-robin reached every worker
        for (QThread *thread : std::as_const(m_shared.handlerThreads)) {
            QVERIFY(thread != QThread::currentThread());
            QVERIFY(thread != server->thread());
        }
    }

    void qNetworkAccessManagerClient()
    {
        auto server = startServer();
        QNetworkAccessManager manager;
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/echo?qnam=1"_s.arg(server->serverPort())));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"text/plain"_s);
        for (int i = 0; i < 2; ++i) {
            std::unique_ptr<QNetworkReply> reply(manager.post(request, "from qnam"_ba));
            QTRY_VERIFY(reply->isFinished());
            QCOMPARE(reply->error(), QNetworkReply::NoError);
            QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
            QCOMPARE(reply->readAll(), "POST /echo\nfrom qnam"_ba);
        }
    }

    void listenReportsPortInUse()
    {
        auto server = startServer();
        HttpServer second([] { return std::unique_ptr<RequestHandler>(); }, ServerOptions{});
        const quarry::Status status = second.listen(QHostAddress::LocalHost, server->serverPort());
        QVERIFY(!status.ok());
        QCOMPARE(status.error(), u"127.0.0.1:%1 is already in use"_s.arg(server->serverPort()));
    }

    void destroyingServerWithStreamInFlight()
    {
        auto server = startServer();
        RawClient client;
        QVERIFY(client.connectTo(server->serverPort()));
        client.send(get("/hang"));
        QVERIFY(client.readUntil("data: hello").contains("data: hello"));
        server.reset(); // joins workers; the handler's writer must not dangle
        QCOMPARE(m_shared.clientGone.load(), 1);
        QVERIFY(client.waitForClose());
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_http_server.moc"
