// Cross-checks SigV4Signer against botocore's SigV4Auth (Debian's python3-botocore), an
// implementation not written here, for Bedrock requests at a fixed date.
#include "aws/SigV4Signer.h"
#include "aws/SigV4Verifier.h"

#include "TestSupport.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <QTimeZone>
#include <QUrl>

using namespace Qt::StringLiterals;
using namespace quarry::aws;

namespace {

const QString kPython = u"/usr/bin/python3"_s;
constexpr int kBotocoreMissing = 3; // exit status of the script when botocore is absent

QString scriptPath()
{
    return QDir::cleanPath(quarry::test::dataPath(u"../integration/botocore_sigv4_check.py"_s));
}

// The request as Quarry's upstream client would build it from a URL.
SignableRequest requestFor(const QUrl &url, const QByteArray &body, const HeaderList &extraHeaders)
{
    SignableRequest request;
    request.method = "POST";
    request.path = url.path(QUrl::FullyEncoded).toUtf8();
    request.query = url.query(QUrl::FullyEncoded).toUtf8();
    request.headers = extraHeaders;
    request.headers.prepend({"host", url.host().toUtf8()});
    request.body = body;
    return request;
}

} // namespace

class TestAwsBotocore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sameAuthorizationAsBotocore_data();
    void sameAuthorizationAsBotocore();

private:
    QJsonObject runBotocore(const QJsonObject &input);
};

void TestAwsBotocore::initTestCase()
{
    QUARRY_REQUIRE(QFileInfo::exists(kPython), "/usr/bin/python3: apt install python3 python3-botocore");
    QVERIFY2(QFileInfo::exists(scriptPath()), qPrintable(scriptPath()));
}

QJsonObject TestAwsBotocore::runBotocore(const QJsonObject &input)
{
    QProcess python;
    python.start(kPython, {scriptPath()});
    python.write(QJsonDocument(input).toJson(QJsonDocument::Compact));
    python.closeWriteChannel();
    if (!python.waitForFinished(60000))
        qFatal("botocore_sigv4_check.py did not finish");
    if (python.exitCode() != 0) {
        const QByteArray stderrText = python.readAllStandardError();
        qWarning("botocore_sigv4_check.py exit %d: %s", python.exitCode(), stderrText.constData());
        return QJsonObject{{u"exitCode"_s, python.exitCode()}};
    }
    return QJsonDocument::fromJson(python.readAllStandardOutput()).object();
}

void TestAwsBotocore::sameAuthorizationAsBotocore_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("sessionToken");
    QTest::addColumn<QByteArray>("body");

    const QByteArray converse = R"({"messages":[{"role":"user","content":[{"text":"Hello  there"}]}],)"
                                R"("inferenceConfig":{"maxTokens":256}})";
    QTest::newRow("converse, session token")
        << u"https://bedrock-runtime.us-west-2.amazonaws.com/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse"_s
        << u"IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLXdlc3QtMiJHMEUCIQEXAMPLE+token/with=chars"_s
        << converse;
    QTest::newRow("converse, long-term key")
        << u"https://bedrock-runtime.us-west-2.amazonaws.com/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse"_s
        << QString() << converse;
    QTest::newRow("inference profile ARN, empty body")
        << u"https://bedrock-runtime.us-west-2.amazonaws.com/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream"_s
        << u"token"_s << QByteArray();
}

void TestAwsBotocore::sameAuthorizationAsBotocore()
{
    QFETCH(QString, url);
    QFETCH(QString, sessionToken);
    QFETCH(QByteArray, body);
    const AwsCredentials credentials{u"AKIAIOSFODNN7EXAMPLE"_s, u"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"_s,
                                     sessionToken};
    const QDateTime now(QDate(2024, 11, 5), QTime(9, 7, 3), QTimeZone::utc());
    const HeaderList extra = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};

    const QJsonObject result = runBotocore(QJsonObject{
        {u"method"_s, u"POST"_s},
        {u"url"_s, url},
        {u"headers"_s, QJsonArray{QJsonArray{u"Content-Type"_s, u"application/json"_s},
                                  QJsonArray{u"Accept"_s, u"application/json"_s}}},
        {u"body"_s, QString::fromUtf8(body)},
        {u"accessKeyId"_s, credentials.accessKeyId},
        {u"secretAccessKey"_s, credentials.secretAccessKey},
        {u"sessionToken"_s, sessionToken},
        {u"region"_s, u"us-west-2"_s},
        {u"service"_s, u"bedrock"_s},
        {u"timestamp"_s, u"20241105T090703Z"_s},
    });
    QUARRY_REQUIRE(result.value(u"exitCode"_s).toInt() != kBotocoreMissing,
                   "botocore for /usr/bin/python3: apt install python3-botocore");
    QVERIFY2(result.contains(u"headers"_s), "botocore_sigv4_check.py failed (see warning above)");

    const SigV4Signer signer(u"us-west-2"_s, u"bedrock"_s);
    const HeaderList ours = signer.sign(requestFor(QUrl(url), body, extra), credentials, now);
    const QJsonObject theirs = result.value(u"headers"_s).toObject();

    QCOMPARE(SigV4Signer::headerValue(ours, "x-amz-date"), theirs.value(u"X-Amz-Date"_s).toString().toUtf8());
    QCOMPARE(SigV4Signer::headerValue(ours, "x-amz-security-token"),
             theirs.value(u"X-Amz-Security-Token"_s).toString().toUtf8());
    QCOMPARE(SigV4Signer::headerValue(ours, "authorization"),
             theirs.value(u"Authorization"_s).toString().toUtf8());

    // The simulator's verifier must accept what botocore signed, not only what we sign.
    SignableRequest received = requestFor(QUrl(url), body, extra);
    for (auto it = theirs.begin(); it != theirs.end(); ++it)
        received.headers.emplaceBack(it.key().toUtf8(), it.value().toString().toUtf8());
    const auto lookup = [&credentials](const QString &keyId) {
        return keyId == credentials.accessKeyId ? std::optional(credentials.secretAccessKey) : std::nullopt;
    };
    const VerifyResult verdict = SigV4Verifier::verify(received, lookup, now.addSecs(30), u"bedrock"_s);
    QVERIFY2(verdict.ok, qPrintable(verdict.errorType + u": "_s + verdict.message));
}

QUARRY_TEST_GUILESS_MAIN(TestAwsBotocore)
#include "tst_aws_botocore.moc"
