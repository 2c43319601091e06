// Runs SigV4Signer against the AWS SigV4 test-suite vectors in tests/data/sigv4 (see its README).
#include "aws/SigV4Canonical.h"
#include "aws/SigV4Crypto.h"
#include "aws/SigV4Signer.h"

#include "TestSupport.h"

#include <QTest>
#include <QTimeZone>

#include <thread>

using namespace Qt::StringLiterals;
using namespace quarry::aws;

namespace {

// Vectors whose published .sts/.authz were not computed from their own .creq (see README).
const QStringList kCanonicalRequestOnly = {u"post-x-www-form-urlencoded"_s,
                                           u"post-x-www-form-urlencoded-parameters"_s};

AwsCredentials suiteCredentials()
{
    return {u"AKIDEXAMPLE"_s, u"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"_s, {}};
}

QDateTime suiteDate()
{
    return QDateTime(QDate(2015, 8, 30), QTime(12, 36, 0), QTimeZone::utc());
}

// A .req file: "METHOD URI HTTP/1.1", "Name:value" lines, a blank line, then the body.
SignableRequest parseReq(const QByteArray &bytes)
{
    const qsizetype blank = bytes.indexOf("\n\n");
    const QByteArray head = blank < 0 ? bytes : bytes.left(blank);
    SignableRequest request;
    request.body = blank < 0 ? QByteArray() : bytes.mid(blank + 2);
    QByteArrayList lines = head.split('\n');
    const QByteArray requestLine = lines.takeFirst();
    const qsizetype firstSpace = requestLine.indexOf(' ');
    const qsizetype lastSpace = requestLine.lastIndexOf(' ');
    request.method = requestLine.left(firstSpace);
    const QByteArray uri = requestLine.mid(firstSpace + 1, lastSpace - firstSpace - 1);
    const qsizetype question = uri.indexOf('?');
    request.path = question < 0 ? uri : uri.left(question);
    request.query = question < 0 ? QByteArray() : uri.mid(question + 1);
    for (const QByteArray &line : std::as_const(lines)) {
        const qsizetype colon = line.indexOf(':');
        request.headers.append({line.left(colon), line.mid(colon + 1)});
    }
    return request;
}

} // namespace

class TestAwsSigV4 : public QObject
{
    Q_OBJECT

private slots:
    void suiteVector_data();
    void suiteVector();
    void amzDateIsUtc();
    void amzDateFollowsTheClockEverySecond();
    void headerValuesAreTrimmedAndTheirSpacesCollapsed_data();
    void headerValuesAreTrimmedAndTheirSpacesCollapsed();
    void headerNamesAreSortedAndJoinedAsLowercase();
    void sessionTokenIsAddedAndSigned();
    void bedrockPathIsEncodedTwice();
    void staleSigningHeadersAreReplaced();
    void hmacMatchesRfc4231_data();
    void hmacMatchesRfc4231();
    void hmacFollowsEachNewKey();
    void hmacTakesAnEmptyKeyFirst();
};

void TestAwsSigV4::suiteVector_data()
{
    QTest::addColumn<QString>("vector");
    const QByteArray list = quarry::test::readData(u"sigv4/vectors.txt"_s);
    for (const QByteArray &line : list.split('\n')) {
        if (!line.trimmed().isEmpty())
            QTest::newRow(line.constData()) << QString::fromUtf8(line.trimmed());
    }
}

void TestAwsSigV4::suiteVector()
{
    QFETCH(QString, vector);
    const QString name = vector.section(u'/', -1);
    const QString base = u"sigv4/"_s + vector + u'/' + name;
    const SignableRequest request = parseReq(quarry::test::readData(base + u".req"_s));
    const SigV4Signer signer(u"us-east-1"_s, u"service"_s);

    QCOMPARE(signer.canonicalRequest(request), quarry::test::readData(base + u".creq"_s));
    // The comparison still runs and must fail (XFAIL); should it ever match, the row fails (XPASS).
    if (kCanonicalRequestOnly.contains(name))
        QEXPECT_FAIL("", "published .sts/.authz do not derive from the published .creq (tests/data/sigv4/README.md)",
                     Abort);
    QCOMPARE(signer.stringToSign(request), quarry::test::readData(base + u".sts"_s));

    const HeaderList added = signer.sign(request, suiteCredentials(), suiteDate());
    QCOMPARE(SigV4Signer::headerValue(added, "authorization"), quarry::test::readData(base + u".authz"_s));
    QCOMPARE(SigV4Signer::headerValue(added, "x-amz-date"), QByteArray("20150830T123600Z"));
}

void TestAwsSigV4::amzDateIsUtc()
{
    // 14:36 at UTC+2 is 12:36 UTC: a signer that used local time would be rejected by AWS.
    const QDateTime local(QDate(2015, 8, 30), QTime(14, 36, 0), QTimeZone(2 * 3600));
    QCOMPARE(SigV4Signer::formatAmzDate(local), QByteArray("20150830T123600Z"));
}

void TestAwsSigV4::amzDateFollowsTheClockEverySecond()
{
    // Requests signed in one second share its text; the next second, and any other, get their own.
    const QDateTime first(QDate(2026, 12, 31), QTime(23, 59, 59), Qt::UTC);
    QCOMPARE(SigV4Signer::formatAmzDate(first), QByteArray("20261231T235959Z"));
    QCOMPARE(SigV4Signer::formatAmzDate(first.addMSecs(999)), QByteArray("20261231T235959Z"));
    QCOMPARE(SigV4Signer::formatAmzDate(first.addSecs(1)), QByteArray("20270101T000000Z"));
    QCOMPARE(SigV4Signer::formatAmzDate(first), QByteArray("20261231T235959Z"));
}

void TestAwsSigV4::headerValuesAreTrimmedAndTheirSpacesCollapsed_data()
{
    // SigV4's canonical headers (as get-header-value-trim shows): whitespace at either end goes,
    // and any run of it inside becomes one space.
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("canonical");
    QTest::newRow("plain") << "a b c"_ba << "a b c"_ba;
    QTest::newRow("empty") << ""_ba << ""_ba;
    QTest::newRow("leading") << " value"_ba << "value"_ba;
    QTest::newRow("trailing") << "value "_ba << "value"_ba;
    QTest::newRow("trailing tab") << "value\t"_ba << "value"_ba;
    QTest::newRow("inner run") << "a   b"_ba << "a b"_ba;
    QTest::newRow("inner tab") << "a\tb"_ba << "a b"_ba;
    QTest::newRow("only spaces") << "   "_ba << ""_ba;
}

void TestAwsSigV4::headerValuesAreTrimmedAndTheirSpacesCollapsed()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, canonical);
    const auto headers = SigV4Canonical::headers({{"X-Test"_ba, value}});
    QCOMPARE(headers.canonical, "x-test:" + canonical + '\n');
}

void TestAwsSigV4::headerNamesAreSortedAndJoinedAsLowercase()
{
    // SigV4 sorts by the lowercased name (the AWS suite's requests are all lowercase or sort the
    // same either way): "anthropic-beta" comes before "Host" although 'H' < 'a' in ASCII, and
    // "X-Custom" and "x-custom" are one header whose values are joined in the order sent.
    const auto headers = SigV4Canonical::headers({{"Host"_ba, "h"_ba},
                                                  {"X-Custom"_ba, "1"_ba},
                                                  {"anthropic-beta"_ba, "b"_ba},
                                                  {" x-custom "_ba, "2"_ba},
                                                  {"Content-Type"_ba, "c"_ba}});
    QCOMPARE(headers.canonical, "anthropic-beta:b\ncontent-type:c\nhost:h\nx-custom:1,2\n"_ba);
    QCOMPARE(headers.signedHeaders, "anthropic-beta;content-type;host;x-custom"_ba);
}

void TestAwsSigV4::sessionTokenIsAddedAndSigned()
{
    // post-sts-header-before: the token is signed when present before signing.
    const QString base = u"sigv4/post-sts-token/post-sts-header-before/post-sts-header-before"_s;
    SignableRequest request = parseReq(quarry::test::readData(base + u".req"_s));
    const QByteArray token = SigV4Signer::headerValue(request.headers, "x-amz-security-token");
    QVERIFY(!token.isEmpty());
    request.headers.removeIf([](const auto &h) { return h.first.toLower() == "x-amz-security-token"; });

    AwsCredentials credentials = suiteCredentials();
    credentials.sessionToken = QString::fromUtf8(token);
    const HeaderList added =
        SigV4Signer(u"us-east-1"_s, u"service"_s).sign(request, credentials, suiteDate());
    QCOMPARE(added.size(), 3);
    QCOMPARE(SigV4Signer::headerValue(added, "x-amz-security-token"), token);
    QCOMPARE(SigV4Signer::headerValue(added, "authorization"), quarry::test::readData(base + u".authz"_s));
}

void TestAwsSigV4::bedrockPathIsEncodedTwice()
{
    SignableRequest request;
    request.method = "POST";
    request.path = "/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse";
    request.headers = {{"host", "bedrock-runtime.us-west-2.amazonaws.com"},
                       {"x-amz-date", "20250101T000000Z"}};
    const QByteArray creq = SigV4Signer(u"us-west-2"_s, u"bedrock"_s).canonicalRequest(request);
    QCOMPARE(creq.split('\n').value(1),
             QByteArray("/model/us.anthropic.claude-3-5-haiku-20241022-v1%253A0/converse"));
}

// A retried request still carries the last attempt's signature and date, in whatever case and
// (as the canonical form reads names) with spaces around the name: they are replaced, not signed.
void TestAwsSigV4::staleSigningHeadersAreReplaced()
{
    const QString base = u"sigv4/get-vanilla/get-vanilla"_s;
    SignableRequest request = parseReq(quarry::test::readData(base + u".req"_s));
    request.headers.append({"AUTHORIZATION"_ba, "AWS4-HMAC-SHA256 Credential=stale"_ba});
    request.headers.append({" x-amz-date "_ba, "19990101T000000Z"_ba});
    const HeaderList added =
        SigV4Signer(u"us-east-1"_s, u"service"_s).sign(request, suiteCredentials(), suiteDate());
    QCOMPARE(SigV4Signer::headerValue(added, "authorization"), quarry::test::readData(base + u".authz"_s));
}

// HMAC-SHA256 test cases from RFC 4231 section 4 (1, 2, 6 and 7), and a key of exactly one SHA-256
// block, which is used as it is (its value from `openssl dgst -sha256 -mac HMAC`).
void TestAwsSigV4::hmacMatchesRfc4231_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("mac");
    const QByteArray longKey(131, '\xaa');
    QTest::newRow("case 1") << QByteArray(20, '\x0b') << QByteArray("Hi There")
                            << QByteArray("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    QTest::newRow("case 2, key shorter than the output")
        << QByteArray("Jefe") << QByteArray("what do ya want for nothing?")
        << QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    QTest::newRow("case 6, key longer than a block")
        << longKey << QByteArray("Test Using Larger Than Block-Size Key - Hash Key First")
        << QByteArray("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    QTest::newRow("case 7, key and data longer than a block")
        << longKey
        << QByteArray(
               "This is a test using a larger than block-size key and a larger than block-size data. The key "
               "needs to be hashed before being used by the HMAC algorithm.")
        << QByteArray("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
    QTest::newRow("key of one block")
        << QByteArray(64, '\xaa') << QByteArray("x")
        << QByteArray("ce3c639dcb9d8baae5d44c3b8b5e233faab4d1860e07489af5c84f213998bd79");
}

void TestAwsSigV4::hmacMatchesRfc4231()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, mac);
    QCOMPARE(SigV4Crypto::hmacSha256(key, data).toHex(), mac);
    QCOMPARE(SigV4Crypto::hmacSha256(key, data).toHex(), mac); // again, with the key already taken in
}

// The signer keeps the last key taken in: a MAC under another key, and back, is each key's own.
void TestAwsSigV4::hmacFollowsEachNewKey()
{
    const QByteArray first = SigV4Crypto::hmacSha256("Jefe", "what do ya want for nothing?").toHex();
    const QByteArray second = SigV4Crypto::hmacSha256(QByteArray(20, '\x0b'), "Hi There").toHex();
    QCOMPARE(second, QByteArray("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));
    QCOMPARE(SigV4Crypto::hmacSha256("Jefe", "what do ya want for nothing?").toHex(), first);
    QCOMPARE(first, QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
}

// An empty key is a key, also as a thread's first (its value from Python's hmac module).
void TestAwsSigV4::hmacTakesAnEmptyKeyFirst()
{
    QByteArray mac;
    std::thread fresh([&mac] { mac = SigV4Crypto::hmacSha256(QByteArray(), "x").toHex(); });
    fresh.join();
    QCOMPARE(mac, QByteArray("4cbc96099a6467ce002461f10549b4898265ebe6188b45efacc44293516e62c4"));
}

QTEST_GUILESS_MAIN(TestAwsSigV4)
#include "tst_aws_sigv4.moc"
