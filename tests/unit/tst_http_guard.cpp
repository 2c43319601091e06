// Unit tests of the request guard (Host/Origin) and the response encoder, without sockets.
#include "http/RequestGuard.h"
#include "http/ResponseEncoder.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace quarry::http;

class TestHttpGuard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void allowedHosts_data()
    {
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("localhost") << "localhost"_ba << true;
        QTest::newRow("LOCALHOST:8080") << "LOCALHOST:8080"_ba << true;
        QTest::newRow("127.0.0.1:8080") << "127.0.0.1:8080"_ba << true;
        QTest::newRow("[::1]:8080") << "[::1]:8080"_ba << true;
        QTest::newRow("[::1]") << "[::1]"_ba << true;
        QTest::newRow("::1 unbracketed") << "::1"_ba << false;
        QTest::newRow("[::1]8080") << "[::1]8080"_ba << false;
        QTest::newRow("[::1") << "[::1"_ba << false;
        QTest::newRow("other port") << "localhost:8081"_ba << false;
        QTest::newRow("port with leading zero") << "localhost:08080"_ba << false;
        QTest::newRow("127.0.0.2") << "127.0.0.2"_ba << false;
        QTest::newRow("0.0.0.0") << "0.0.0.0:8080"_ba << false;
        QTest::newRow("suffix") << "localhost.attacker.example"_ba << false;
        QTest::newRow("userinfo trick") << "localhost@evil.example"_ba << false;
        QTest::newRow("empty") << QByteArray() << false;
    }

    void allowedHosts()
    {
        QFETCH(QByteArray, host);
        QFETCH(bool, allowed);
        const RequestGuard guard(true, {}, 8080);
        QCOMPARE(guard.isAllowedHost(host), allowed);
    }

    void http10WithoutHostIsAllowedButNotHttp11()
    {
        const RequestGuard guard(true, {}, 8080);
        HttpRequest request;
        QVERIFY(!guard.check(request, 10, 0));
        const auto rejection = guard.check(request, 11, 0);
        QVERIFY(rejection);
        QCOMPARE(rejection->status, 403);
    }

    void everyOriginHeaderMustBeAllowed()
    {
        const RequestGuard guard(true, {"http://localhost:3000"_ba}, 8080);
        HttpRequest request;
        request.headers = {{"Host"_ba, "localhost:8080"_ba}, {"origin"_ba, "http://localhost:3000"_ba}};
        QVERIFY(!guard.check(request, 11, 1));
        request.headers.append({"Origin"_ba, "null"_ba});
        const auto rejection = guard.check(request, 11, 1);
        QVERIFY(rejection);
        const QJsonObject error = QJsonDocument::fromJson(rejection->body).object()[u"error"_s].toObject();
        QCOMPARE(error[u"code"_s].toString(), u"origin_not_allowed"_s);
        QCOMPARE(error[u"type"_s].toString(), u"permission_error"_s);
        QVERIFY(error[u"message"_s].toString().contains(u"'null'"_s));
    }

    // Issue 12 item 7: <img src=http://localhost:8080/...> from any page carries no Origin but
    // Sec-Fetch-Site: cross-site; same-site may be another localhost port (no port in it).
    void secFetchSite_data()
    {
        QTest::addColumn<QByteArray>("site");
        QTest::addColumn<QByteArray>("origin");
        QTest::addColumn<int>("status"); // 0: passes
        QTest::newRow("cross-site") << "cross-site"_ba << QByteArray() << 403;
        QTest::newRow("Cross-Site, any case") << "Cross-Site"_ba << QByteArray() << 403;
        QTest::newRow("same-site") << "same-site"_ba << QByteArray() << 403;
        QTest::newRow("same-site, allowed Origin") << "same-site"_ba
                                                   << "http://localhost:3000"_ba << 0;
        QTest::newRow("cross-site, allowed Origin") << "cross-site"_ba
                                                    << "http://localhost:3000"_ba << 0;
        QTest::newRow("same-origin") << "same-origin"_ba << QByteArray() << 0;
        QTest::newRow("none") << "none"_ba << QByteArray() << 0;
    }

    void secFetchSite()
    {
        QFETCH(QByteArray, site);
        QFETCH(QByteArray, origin);
        QFETCH(int, status);
        const RequestGuard guard(true, {"http://localhost:3000"_ba}, 8080);
        HttpRequest request;
        request.method = "GET"_ba;
        request.headers = {{"Host"_ba, "localhost:8080"_ba}, {"Sec-Fetch-Site"_ba, site}};
        if (!origin.isEmpty())
            request.headers.append({"Origin"_ba, origin});
        const auto rejection = guard.check(request, 11, 1);
        QCOMPARE(rejection ? rejection->status : 0, status);
        if (rejection) {
            const QJsonObject error =
                QJsonDocument::fromJson(rejection->body).object()[u"error"_s].toObject();
            QCOMPARE(error[u"code"_s].toString(), u"cross_site_request"_s);
            QVERIFY(error[u"message"_s].toString().contains(u"--allow-origin"_s));
        }
        QCOMPARE(guard.corsHeaders(request).isEmpty(), origin.isEmpty());
    }

    void hostRejectionQuotesTheHostAsJson()
    {
        const RequestGuard guard(true, {}, 8080);
        HttpRequest request;
        request.headers = {{"Host"_ba, "evil\"quote.example"_ba}};
        const auto rejection = guard.check(request, 11, 1);
        QVERIFY(rejection);
        const QJsonObject error = QJsonDocument::fromJson(rejection->body).object()[u"error"_s].toObject();
        QCOMPARE(error[u"message"_s].toString(),
                 u"Host header 'evil\"quote.example' is not allowed: Quarry only answers requests "
                 "addressed to localhost (DNS-rebinding protection)"_s);
        QCOMPARE(error[u"code"_s].toString(), u"host_not_allowed"_s);
    }

    void dateIsImfFixdateInUtc()
    {
        const QString text = QString::fromLatin1(ResponseEncoder::httpDate().toByteArray());
        QCOMPARE(text.size(), 29);
        QDateTime parsed = QLocale::c().toDateTime(text, u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s);
        QVERIFY2(parsed.isValid(), qPrintable(text));
        parsed.setTimeZone(QTimeZone::utc());
        QVERIFY(qAbs(parsed.secsTo(QDateTime::currentDateTimeUtc())) <= 2);
    }

    void headDropsFramingAndInjectedHeaders()
    {
        QByteArray out;
        const HttpHeaders headers{{"Content-Length"_ba, "999"_ba},
                                  {"X-Evil"_ba, "a\r\nSet-Cookie: x"_ba},
                                  {"Connection"_ba, "keep-alive"_ba},
                                  {"X-Fine"_ba, "yes"_ba}};
        ResponseEncoder::appendHead(out, 404, headers, 3, ResponseEncoder::Persistence::Close);
        QVERIFY(out.startsWith("HTTP/1.1 404 Not Found\r\nServer: Quarry\r\nDate: "));
        QVERIFY(out.endsWith("\r\nX-Fine: yes\r\nContent-Length: 3\r\nConnection: close\r\n\r\n"));
        QVERIFY(!out.contains("999"));
        QVERIFY(!out.contains("Set-Cookie"));
        QVERIFY(!out.contains("keep-alive"));
    }

    void chunkFraming()
    {
        QByteArray out;
        ResponseEncoder::appendChunk(out, QByteArray(300, 'a'));
        QVERIFY(out.startsWith("12c\r\naaa")); // 300 = 0x12c
        QVERIFY(out.endsWith("aaa\r\n"));
        QCOMPARE(out.size(), qsizetype(5 + 300 + 2));
        QByteArray empty;
        ResponseEncoder::appendChunk(empty, {});
        QVERIFY(empty.isEmpty()); // would otherwise end the stream early
    }
};

QTEST_GUILESS_MAIN(TestHttpGuard)
#include "tst_http_guard.moc"
