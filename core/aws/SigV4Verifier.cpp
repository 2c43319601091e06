// SigV4Verifier: recomputes a received request's signature from its SignedHeaders and compares.
#include "aws/SigV4Verifier.h"

#include "aws/AuthorizationHeader.h"
#include "aws/SigV4Crypto.h"
#include "aws/SigV4Signer.h"

#include <QTimeZone>

namespace quarry::aws {

namespace {

using namespace Qt::StringLiterals;

VerifyResult failure(const QString &errorType, const QString &message, const QString &accessKeyId = {},
                     int httpStatus = 403)
{
    return VerifyResult{false, httpStatus, errorType, message, accessKeyId};
}

std::optional<QDateTime> parseAmzDate(const QByteArray &value)
{
    if (value.size() != 16 || value[8] != 'T' || value[15] != 'Z')
        return std::nullopt;
    const QDate date = QDate::fromString(QString::fromLatin1(value.left(8)), u"yyyyMMdd"_s);
    const QTime time = QTime::fromString(QString::fromLatin1(value.mid(9, 6)), u"HHmmss"_s);
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    return QDateTime(date, time, QTimeZone::utc());
}

QString amzDate(const QDateTime &time)
{
    return QString::fromLatin1(SigV4Signer::formatAmzDate(time));
}

// AWS's wording for a request outside the allowed clock skew, in either direction.
std::optional<QString> skewError(const QDateTime &requestTime, const QDateTime &now)
{
    const qint64 skew = requestTime.secsTo(now);
    if (skew > SigV4Verifier::kMaxClockSkewSeconds)
        return u"Signature expired: "_s + amzDate(requestTime) + u" is now earlier than "_s +
               amzDate(now.addSecs(-SigV4Verifier::kMaxClockSkewSeconds)) + u" ("_s + amzDate(now) +
               u" - 5 min.)"_s;
    if (-skew > SigV4Verifier::kMaxClockSkewSeconds)
        return u"Signature not yet current: "_s + amzDate(requestTime) + u" is still later than "_s +
               amzDate(now.addSecs(SigV4Verifier::kMaxClockSkewSeconds)) + u" ("_s + amzDate(now) +
               u" + 5 min.)"_s;
    return std::nullopt;
}

// The received request reduced to what the client signed: only the SignedHeaders.
SignableRequest signedPart(const SignableRequest &received, const QByteArrayList &signedHeaders)
{
    SignableRequest request = received;
    request.headers.removeIf([&signedHeaders](const QPair<QByteArray, QByteArray> &header) {
        return !signedHeaders.contains(header.first.trimmed().toLower());
    });
    return request;
}

const QString kInvalidSignature = u"InvalidSignatureException"_s;
const QString kIncompleteSignature = u"IncompleteSignatureException"_s;

} // namespace

VerifyResult SigV4Verifier::verify(const SignableRequest &received, const SecretLookup &lookup,
                                   const QDateTime &now, const QString &expectedService)
{
    const QByteArray authorization = SigV4Signer::headerValue(received.headers, "authorization");
    if (authorization.isEmpty())
        return failure(u"MissingAuthenticationTokenException"_s, u"Missing Authentication Token"_s);

    const Result<AuthorizationHeader> parsed = AuthorizationHeader::parse(authorization);
    if (!parsed)
        return failure(kIncompleteSignature, parsed.error());
    const AuthorizationHeader &auth = parsed.value();

    if (QString::fromUtf8(auth.service) != expectedService)
        return failure(kInvalidSignature,
                       u"Credential should be scoped to correct service: '"_s + expectedService + u"'. "_s,
                       auth.accessKeyId);

    const std::optional<QString> secret = lookup ? lookup(auth.accessKeyId) : std::nullopt;
    if (!secret)
        return failure(u"UnrecognizedClientException"_s,
                       u"The security token included in the request is invalid."_s, auth.accessKeyId);

    const QByteArray dateHeader = SigV4Signer::headerValue(received.headers, "x-amz-date");
    const std::optional<QDateTime> requestTime = parseAmzDate(dateHeader);
    if (!requestTime || !auth.signedHeaders.contains("x-amz-date"))
        return failure(
            kIncompleteSignature,
            u"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."_s,
            auth.accessKeyId);
    if (dateHeader.left(8) != auth.date)
        return failure(
            kInvalidSignature,
            u"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"_s +
                QString::fromLatin1(auth.date) + u"' != '"_s + QString::fromLatin1(dateHeader.left(8)) +
                u"', from '"_s + QString::fromLatin1(dateHeader) + u"'."_s,
            auth.accessKeyId);
    if (const std::optional<QString> skew = skewError(*requestTime, now))
        return failure(kInvalidSignature, *skew, auth.accessKeyId);

    const SigV4Signer signer(QString::fromUtf8(auth.region), QString::fromUtf8(auth.service));
    const QByteArray expected =
        signer.signature(signer.stringToSign(signedPart(received, auth.signedHeaders)), *secret);
    if (!SigV4Crypto::equalConstantTime(expected, auth.signature))
        return failure(kInvalidSignature,
                       u"The request signature we calculated does not match the signature you provided. "
                       "Check your AWS Secret Access Key and signing method. Consult the service "
                       "documentation for details."_s,
                       auth.accessKeyId);

    return VerifyResult{true, 200, {}, {}, auth.accessKeyId};
}

} // namespace quarry::aws
