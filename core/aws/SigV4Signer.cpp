// SigV4Signer: canonical request -> string to sign -> HMAC chain -> Authorization header.
#include "aws/SigV4Signer.h"

#include "aws/SigV4Canonical.h"
#include "aws/SigV4Crypto.h"
#include "util/NameMatch.h"

#include <cstdio>
#include <limits>

namespace quarry::aws {

namespace {

constexpr char kAlgorithm[] = "AWS4-HMAC-SHA256";
constexpr qsizetype Sha256HexSize = 64;

} // namespace

SigV4Signer::SigV4Signer(QString region, QString service)
    : m_region(region.toUtf8()), m_service(service.toUtf8())
{}

QByteArray SigV4Signer::formatAmzDate(const QDateTime &time)
{
    // Every request signed in the same second gets the same text: formatting it for each
    // (toUTC(), snprintf()) was about 1 % of a worker's own CPU under load.
    thread_local qint64 lastSecond = std::numeric_limits<qint64>::min();
    thread_local QByteArray lastText;
    const qint64 second = time.toSecsSinceEpoch();
    if (second == lastSecond)
        return lastText;
    // Formatted by hand: QDateTime::toString() goes through the locale and calendar machinery.
    const QDateTime utc = time.toUTC();
    const QDate date = utc.date();
    const QTime clock = utc.time();
    char text[32];
    const int length = std::snprintf(text, sizeof text, "%04d%02d%02dT%02d%02d%02dZ", date.year(), date.month(),
                                     date.day(), clock.hour(), clock.minute(), clock.second());
    lastSecond = second;
    lastText = QByteArray(text, length);
    return lastText;
}

QByteArray SigV4Signer::headerValue(const HeaderList &headers, const QByteArray &lowercaseName)
{
    for (const auto &[name, value] : headers) {
        if (name.trimmed().toLower() == lowercaseName)
            return value.trimmed();
    }
    return {};
}

QByteArray SigV4Signer::canonicalRequest(const SignableRequest &request) const
{
    const SigV4Canonical::Headers headers = SigV4Canonical::headers(request.headers);
    return canonicalRequest(request, headers);
}

QByteArray SigV4Signer::canonicalRequest(const SignableRequest &request,
                                         const SigV4Canonical::Headers &headers) const
{
    // Written into one buffer sized up front: this runs for every proxied request.
    const QByteArray method = request.method.toUpper();
    const QByteArray uri = SigV4Canonical::uri(request.path);
    const QByteArray query = SigV4Canonical::query(request.query);
    QByteArray text;
    text.reserve(method.size() + uri.size() + query.size() + headers.canonical.size() +
                 headers.signedHeaders.size() + Sha256HexSize + 5);
    text.append(method).append('\n').append(uri).append('\n').append(query).append('\n');
    text.append(headers.canonical).append('\n').append(headers.signedHeaders).append('\n');
    SigV4Crypto::appendSha256Hex(text, request.body);
    return text;
}

QByteArray SigV4Signer::credentialScope(const QByteArray &amzDate) const
{
    QByteArray scope;
    appendCredentialScope(scope, amzDate);
    return scope;
}

void SigV4Signer::appendCredentialScope(QByteArray &out, QByteArrayView amzDate) const
{
    out.append(amzDate.first(qMin<qsizetype>(8, amzDate.size())))
        .append('/')
        .append(m_region)
        .append('/')
        .append(m_service)
        .append("/aws4_request");
}

QByteArray SigV4Signer::stringToSign(const SignableRequest &request) const
{
    return stringToSign(headerValue(request.headers, "x-amz-date"), canonicalRequest(request));
}

QByteArray SigV4Signer::stringToSign(QByteArrayView amzDate, const QByteArray &canonicalRequest) const
{
    QByteArray text;
    text.reserve(sizeof kAlgorithm + 2 * amzDate.size() + m_region.size() + m_service.size() + Sha256HexSize +
                 20);
    text.append(kAlgorithm).append('\n').append(amzDate).append('\n');
    appendCredentialScope(text, amzDate);
    text.append('\n');
    SigV4Crypto::appendSha256Hex(text, canonicalRequest);
    return text;
}

QByteArray SigV4Signer::signature(const QByteArray &stringToSign, const QString &secretAccessKey) const
{
    // The date of the key is the one inside the string to sign (its second line).
    QByteArray date;
    if (const qsizetype start = stringToSign.indexOf('\n') + 1; start > 0) {
        const qsizetype end = stringToSign.indexOf('\n', start);
        date = stringToSign.mid(start, qMin<qsizetype>(8, (end < 0 ? stringToSign.size() : end) - start));
    }
    const QByteArray key = SigV4Crypto::signingKey(secretAccessKey, date, m_region, m_service);
    return SigV4Crypto::hmacSha256(key, stringToSign).toHex();
}

HeaderList SigV4Signer::sign(const SignableRequest &request, const AwsCredentials &credentials,
                             const QDateTime &now) const
{
    const bool withToken = !credentials.sessionToken.isEmpty();
    const QByteArray amzDate = formatAmzDate(now);
    HeaderList added;
    added.reserve(3);
    added.append({QByteArrayLiteral("X-Amz-Date"), amzDate});
    if (withToken)
        added.append({QByteArrayLiteral("X-Amz-Security-Token"), credentials.sessionToken.toUtf8()});

    // A retry or a re-signed passthrough request may carry old values: ours replace them.
    SignableRequest signable = request;
    signable.headers.clear();
    signable.headers.reserve(request.headers.size() + added.size());
    for (const auto &header : request.headers) {
        // Trimmed, as the canonical form reads names.
        const QByteArrayView name = QByteArrayView(header.first).trimmed();
        const bool replaced =
            withToken
                ? util::isOneOfIgnoringCase(name, {"authorization", "x-amz-date", "x-amz-security-token"})
                : util::isOneOfIgnoringCase(name, {"authorization", "x-amz-date"});
        if (!replaced)
            signable.headers.append(header);
    }
    signable.headers.append(added);

    const SigV4Canonical::Headers headers = SigV4Canonical::headers(signable.headers);
    const QByteArray toSign = stringToSign(amzDate, canonicalRequest(signable, headers));
    const QByteArray accessKeyId = credentials.accessKeyId.toUtf8();
    const QByteArray signatureHex = signature(toSign, credentials.secretAccessKey);
    QByteArray authorization;
    authorization.reserve(sizeof kAlgorithm + accessKeyId.size() + amzDate.size() + m_region.size() +
                          m_service.size() + headers.signedHeaders.size() + signatureHex.size() + 64);
    authorization.append(kAlgorithm).append(" Credential=").append(accessKeyId).append('/');
    appendCredentialScope(authorization, amzDate);
    authorization.append(", SignedHeaders=")
        .append(headers.signedHeaders)
        .append(", Signature=")
        .append(signatureHex);
    added.append({QByteArrayLiteral("Authorization"), authorization});
    return added;
}

} // namespace quarry::aws
