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
    return canonicalRequest(request, headers.canonical, headers.signedHeaders);
}

QByteArray SigV4Signer::canonicalRequest(const SignableRequest &request, const QByteArray &canonicalHeaders,
                                         const QByteArray &signedHeaders) const
{
    return request.method.toUpper() + '\n' + SigV4Canonical::uri(request.path) + '\n' +
           SigV4Canonical::query(request.query) + '\n' + canonicalHeaders + '\n' + signedHeaders + '\n' +
           SigV4Crypto::sha256Hex(request.body);
}

QByteArray SigV4Signer::credentialScope(const QByteArray &amzDate) const
{
    return amzDate.left(8) + '/' + m_region + '/' + m_service + "/aws4_request";
}

QByteArray SigV4Signer::stringToSign(const SignableRequest &request) const
{
    return stringToSign(request, canonicalRequest(request));
}

QByteArray SigV4Signer::stringToSign(const SignableRequest &request, const QByteArray &canonicalRequest) const
{
    const QByteArray amzDate = headerValue(request.headers, "x-amz-date");
    return QByteArray(kAlgorithm) + '\n' + amzDate + '\n' + credentialScope(amzDate) + '\n' +
           SigV4Crypto::sha256Hex(canonicalRequest);
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
    HeaderList added;
    added.append({QByteArrayLiteral("X-Amz-Date"), formatAmzDate(now)});
    if (withToken)
        added.append({QByteArrayLiteral("X-Amz-Security-Token"), credentials.sessionToken.toUtf8()});

    // A retry or a re-signed passthrough request may carry old values: ours replace them.
    SignableRequest signable = request;
    signable.headers.removeIf([withToken](const QPair<QByteArray, QByteArray> &header) {
        // Trimmed, as the canonical form reads names.
        const QByteArrayView name = QByteArrayView(header.first).trimmed();
        return withToken
                   ? util::isOneOfIgnoringCase(name, {"authorization", "x-amz-date", "x-amz-security-token"})
                   : util::isOneOfIgnoringCase(name, {"authorization", "x-amz-date"});
    });
    signable.headers.append(added);

    const SigV4Canonical::Headers headers = SigV4Canonical::headers(signable.headers);
    const QByteArray toSign =
        stringToSign(signable, canonicalRequest(signable, headers.canonical, headers.signedHeaders));
    const QByteArray amzDate = added.first().second;
    const QByteArray authorization =
        QByteArray(kAlgorithm) + " Credential=" + credentials.accessKeyId.toUtf8() + '/' +
        credentialScope(amzDate) +
        ", SignedHeaders=" + headers.signedHeaders +
        ", Signature=" + signature(toSign, credentials.secretAccessKey);
    added.append({QByteArrayLiteral("Authorization"), authorization});
    return added;
}

} // namespace quarry::aws
