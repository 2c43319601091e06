// SigV4Crypto: the SHA-256 / HMAC-SHA256 primitives and key derivation SigV4 is built on (OpenSSL 3).
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace quarry::aws {

class SigV4Crypto
{
public:
    // SHA-256 of data in lowercase hex, appended to out: the signer writes hashes straight into the
    // text it builds.
    static void appendSha256Hex(QByteArray &out, QByteArrayView data);
    static QByteArray hmacSha256(const QByteArray &key, const QByteArray &data);
    // kSigning = HMAC chain over date (yyyyMMdd), region, service, "aws4_request".
    static QByteArray signingKey(const QString &secretAccessKey, const QByteArray &date,
                                 const QByteArray &region, const QByteArray &service);
    // Constant-time comparison, so a verifier does not leak how much of a signature matched.
    static bool equalConstantTime(const QByteArray &a, const QByteArray &b);
};

} // namespace quarry::aws
