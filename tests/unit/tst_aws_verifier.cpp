// SigV4Verifier: what the Bedrock simulator answers to requests signed right and wrong.
#include "aws/SigV4Signer.h"
#include "aws/SigV4Verifier.h"

#include "TestSupport.h"

#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace quarry::aws;

namespace {

const QString kKeyId = u"AKIAIOSFODNN7EXAMPLE"_s;
const QString kSecret = u"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"_s;
const QString kMismatch =
    u"The request signature we calculated does not match the signature you provided. Check your AWS "
    "Secret Access Key and signing method. Consult the service documentation for details."_s;

QDateTime signingTime()
{
    return QDateTime(QDate(2024, 11, 5), QTime(9, 7, 3), QTimeZone::utc());
}

SignableRequest converseRequest()
{
    SignableRequest request;
    request.method = "POST";
    request.path = "/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse";
    request.headers = {{"Host", "bedrock-runtime.us-west-2.amazonaws.com"},
                       {"Content-Type", "application/json"}};
    request.body = R"({"messages":[{"role":"user","content":[{"text":"Hi"}]}]})";
    return request;
}

// Signs the request and appends the signature headers, as the upstream client does.
SignableRequest signedRequest(const QString &secret = kSecret, const QString &service = u"bedrock"_s,
                              const QDateTime &when = signingTime())
{
    SignableRequest request = converseRequest();
    const AwsCredentials credentials{kKeyId, secret, u"session-token"_s};
    request.headers += SigV4Signer(u"us-west-2"_s, service).sign(request, credentials, when);
    return request;
}

std::optional<QString> knownKeys(const QString &accessKeyId)
{
    if (accessKeyId == kKeyId)
        return kSecret;
    return std::nullopt;
}

VerifyResult verifyAt(const SignableRequest &request, const QDateTime &now = signingTime())
{
    return SigV4Verifier::verify(request, knownKeys, now, u"bedrock"_s);
}

} // namespace

class TestAwsVerifier : public QObject
{
    Q_OBJECT

private slots:
    void roundTripIsAccepted();
    void unsignedHeaderAddedLaterIsIgnored();
    void missingAuthorization();
    void wrongSecret();
    void unknownAccessKey();
    void tamperedBody();
    void tamperedSignedHeader();
    void expiredSignature();
    void futureSignature();
    void wrongServiceInScope();
    void incompleteAuthorization();
};

void TestAwsVerifier::roundTripIsAccepted()
{
    // Four minutes of clock skew is within what AWS allows.
    const VerifyResult result = verifyAt(signedRequest(), signingTime().addSecs(4 * 60));
    QVERIFY2(result.ok, qPrintable(result.message));
    QCOMPARE(result.httpStatus, 200);
    QCOMPARE(result.accessKeyId, kKeyId);
}

void TestAwsVerifier::unsignedHeaderAddedLaterIsIgnored()
{
    // Proxies add headers such as User-Agent after signing; only SignedHeaders count.
    SignableRequest request = signedRequest();
    request.headers.emplaceBack("User-Agent", "curl/8.0");
    QVERIFY(verifyAt(request).ok);
}

void TestAwsVerifier::missingAuthorization()
{
    SignableRequest request = signedRequest();
    request.headers.removeIf([](const auto &h) { return h.first == "Authorization"; });
    const VerifyResult result = verifyAt(request);
    QVERIFY(!result.ok);
    QCOMPARE(result.httpStatus, 403);
    QCOMPARE(result.errorType, u"MissingAuthenticationTokenException"_s);
    QCOMPARE(result.message, u"Missing Authentication Token"_s);
}

void TestAwsVerifier::wrongSecret()
{
    const VerifyResult result = verifyAt(signedRequest(u"not-the-secret"_s));
    QVERIFY(!result.ok);
    QCOMPARE(result.httpStatus, 403);
    QCOMPARE(result.errorType, u"InvalidSignatureException"_s);
    QCOMPARE(result.message, kMismatch);
}

void TestAwsVerifier::unknownAccessKey()
{
    const VerifyResult result = SigV4Verifier::verify(
        signedRequest(), [](const QString &) { return std::optional<QString>(); }, signingTime(),
        u"bedrock"_s);
    QVERIFY(!result.ok);
    QCOMPARE(result.httpStatus, 403);
    QCOMPARE(result.errorType, u"UnrecognizedClientException"_s);
    QCOMPARE(result.message, u"The security token included in the request is invalid."_s);
}

void TestAwsVerifier::tamperedBody()
{
    SignableRequest request = signedRequest();
    request.body.replace("Hi", "Ho");
    const VerifyResult result = verifyAt(request);
    QCOMPARE(result.errorType, u"InvalidSignatureException"_s);
    QCOMPARE(result.message, kMismatch);
}

void TestAwsVerifier::tamperedSignedHeader()
{
    SignableRequest request = signedRequest();
    for (auto &header : request.headers) {
        if (header.first == "Content-Type")
            header.second = "text/plain";
    }
    QCOMPARE(verifyAt(request).message, kMismatch);
}

void TestAwsVerifier::expiredSignature()
{
    const VerifyResult result = verifyAt(signedRequest(), signingTime().addSecs(6 * 60));
    QVERIFY(!result.ok);
    QCOMPARE(result.httpStatus, 403);
    QCOMPARE(result.errorType, u"InvalidSignatureException"_s);
    // AWS's wording: the request time, now minus 5 minutes, and now.
    QCOMPARE(result.message, u"Signature expired: 20241105T090703Z is now earlier than 20241105T090803Z "
                             "(20241105T091303Z - 5 min.)"_s);
}

void TestAwsVerifier::futureSignature()
{
    const VerifyResult result = verifyAt(signedRequest(), signingTime().addSecs(-10 * 60));
    QCOMPARE(result.errorType, u"InvalidSignatureException"_s);
    QVERIFY2(result.message.startsWith(u"Signature not yet current: 20241105T090703Z is still later than"_s),
             qPrintable(result.message));
}

void TestAwsVerifier::wrongServiceInScope()
{
    const VerifyResult result = verifyAt(signedRequest(kSecret, u"bedrock-runtime"_s));
    QCOMPARE(result.errorType, u"InvalidSignatureException"_s);
    QCOMPARE(result.message, u"Credential should be scoped to correct service: 'bedrock'. "_s);
}

void TestAwsVerifier::incompleteAuthorization()
{
    SignableRequest request = signedRequest();
    for (auto &header : request.headers) {
        if (header.first == "Authorization")
            header.second =
                "AWS4-HMAC-SHA256 Credential=" + kKeyId.toUtf8() + "/20241105/us-west-2/bedrock/aws4_request";
    }
    const VerifyResult result = verifyAt(request);
    QVERIFY(!result.ok);
    QCOMPARE(result.errorType, u"IncompleteSignatureException"_s);
    QVERIFY(result.message.contains(u"'Signature'"_s));
}

QTEST_GUILESS_MAIN(TestAwsVerifier)
#include "tst_aws_verifier.moc"
