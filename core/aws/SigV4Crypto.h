// SigV4Crypto: the SHA-256 / HMAC-SHA256 primitives and key derivation SigV4 is built on (OpenSSL 3).
#pragma once

#include <QByteArray>
#include <QString>

namespace quarry::aws {

class SigV4Crypto
{
public:
    static QByteArray sha256Hex(const QByteArray &data);
    static QByteArray hmacSha256(const QByteArray &key, const QByteArray &data);
    // kSigning = HMAC chain over date (yyyyMMdd), region, service, "aws4_request".
    static QByteArray signingKey(const QString &secretAccessKey, const QByteArray &date,
                                 const QByteArray &region, const QByteArray &service);
    // Constant-time comparison, so a verifier does not leak how much of a signature matched.
    static bool equalConstantTime(const QByteArray &a, const QByteArray &b);
};

} // namespace quarry::aws
