// STS and SSO calls (HttpCall, which both use) never follow a redirect: the SSO access token and
// the signed AssumeRole request stay with the endpoint they were meant for.
#include "aws/credentials/HttpCall.h"

#include "RedirectServers.h"

#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QTest>
#include <QUrl>

#include <optional>

using namespace Qt::StringLiterals;
using namespace quarry;

class TestAwsRedirect : public QObject
{
    Q_OBJECT

private slots:
    void credentialCallsDoNotFollowRedirects_data()
    {
        QTest::addColumn<QByteArray>("verb");
        QTest::newRow("SSO GetRoleCredentials (GET)") << QByteArray("GET");
        QTest::newRow("STS AssumeRole (POST)") << QByteArray("POST");
    }

    void credentialCallsDoNotFollowRedirects()
    {
        QFETCH(QByteArray, verb);
        test::RedirectRecorder recorder;
        QVERIFY(recorder.listen(QHostAddress::LocalHost));
        test::Redirector redirector("http://127.0.0.1:" + QByteArray::number(recorder.serverPort()) +
                                    "/federation");
        QVERIFY(redirector.listen(QHostAddress::LocalHost));

        QNetworkAccessManager network;
        QNetworkRequest request(
            QUrl(u"http://127.0.0.1:%1/federation/credentials"_s.arg(redirector.serverPort())));
        request.setRawHeader("x-amz-sso_bearer_token", "sso-access-token-61d0"); // in secret-values.txt
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/x-www-form-urlencoded"_s);
        std::optional<aws::HttpOutcome> outcome;
        aws::HttpCall::send(&network, request, verb, verb == "POST" ? "Action=AssumeRole" : QByteArray(),
                            10000, [&outcome](aws::HttpOutcome answer) { outcome = std::move(answer); });
        QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value() || recorder.connections > 0, 10000);
        QCOMPARE(recorder.connections, 0);
        QVERIFY(outcome.has_value());
        QCOMPARE(outcome->status, 307); // the provider reports it as a failed call
        QVERIFY(redirector.received.contains("x-amz-sso_bearer_token"));
        QTest::qWait(300); // a follower would connect now
        QCOMPARE(recorder.connections, 0);
        QVERIFY(recorder.received.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAwsRedirect)
#include "tst_aws_redirect.moc"
