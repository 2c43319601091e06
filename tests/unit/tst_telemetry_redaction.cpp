// Header redaction: what the Traffic page, the Console's inspectors and the logs may show of a
// request's headers. Credentials never; how the request was authenticated, yes.
#include "telemetry/HeaderRedaction.h"

#include "TestSupport.h"

#include <QTest>

using namespace Qt::StringLiterals;
using quarry::telemetry::displayableHeaders;
using quarry::telemetry::displayableHeaderValue;

class TestTelemetryRedaction : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void credentialHeaders_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("shown");
        // The scheme stays: it says how a request was authenticated, not with what.
        QTest::newRow("bearer") << "Authorization"_ba << "Bearer sk-live-0123456789abcdefSECRET"_ba
                                << u"Bearer <redacted>"_s;
        QTest::newRow("sigv4") << "authorization"_ba
                               << "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261201/us-east-1/bedrock/"
                                  "aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd"_ba
                               << u"AWS4-HMAC-SHA256 <redacted>"_s;
        QTest::newRow("no scheme") << "Authorization"_ba << "sk-live-0123456789abcdefSECRET"_ba << u"<redacted>"_s;
        QTest::newRow("proxy") << "Proxy-Authorization"_ba << "Basic dXNlcjpwYXNz"_ba << u"Basic <redacted>"_s;
        QTest::newRow("anthropic key") << "x-api-key"_ba << "sk-ant-0123456789-TOPSECRET"_ba << u"<redacted>"_s;
        QTest::newRow("azure-style key") << "api-key"_ba << "qk-9876543210SECRET"_ba << u"<redacted>"_s;
        QTest::newRow("session token") << "X-Amz-Security-Token"_ba << "SECRETVALUE"_ba << u"<redacted>"_s;
        QTest::newRow("sso token") << "x-amz-sso_bearer_token"_ba << "SECRETVALUE"_ba << u"<redacted>"_s;
        QTest::newRow("cookie") << "Cookie"_ba << "session=SECRETVALUE"_ba << u"<redacted>"_s;
        QTest::newRow("set-cookie") << "Set-Cookie"_ba << "session=SECRETVALUE; HttpOnly"_ba << u"<redacted>"_s;
    }

    void credentialHeaders()
    {
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, value);
        QFETCH(QString, shown);
        const QString displayed = displayableHeaderValue(name, value);
        QCOMPARE(displayed, shown);
    }

    // Everything else is shown as it came: a redacted content type would hide what went wrong.
    void ordinaryHeadersAreShownAsTheyAre()
    {
        QCOMPARE(displayableHeaderValue("Content-Type", "application/json"), u"application/json"_s);
        QCOMPARE(displayableHeaderValue("x-amz-date", "20261201T120000Z"), u"20261201T120000Z"_s);
        QCOMPARE(displayableHeaderValue("x-amz-content-sha256", "e3b0c442"), u"e3b0c442"_s);
        QCOMPARE(displayableHeaderValue("anthropic-version", "2023-06-01"), u"2023-06-01"_s);
    }

    void listKeepsOrderNamesAndRedactsEachSecret()
    {
        const QList<QPair<QByteArray, QByteArray>> headers{{"Host", "localhost:8080"},
                                                           {"Authorization", "Bearer SECRETVALUE"},
                                                           {"x-api-key", "SECRETVALUE"},
                                                           {"Content-Type", "application/json"}};
        const auto shown = displayableHeaders(headers);
        QCOMPARE(shown.size(), 4);
        QCOMPARE(shown.at(0), (QPair<QString, QString>{u"Host"_s, u"localhost:8080"_s}));
        QCOMPARE(shown.at(1), (QPair<QString, QString>{u"Authorization"_s, u"Bearer <redacted>"_s}));
        QCOMPARE(shown.at(2), (QPair<QString, QString>{u"x-api-key"_s, u"<redacted>"_s}));
        QCOMPARE(shown.at(3), (QPair<QString, QString>{u"Content-Type"_s, u"application/json"_s}));
        for (const auto &[name, value] : shown)
            QVERIFY2(!value.contains(u"SECRETVALUE"_s), qPrintable(name));
    }
};

QTEST_GUILESS_MAIN(TestTelemetryRedaction)
#include "tst_telemetry_redaction.moc"
