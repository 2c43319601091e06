// SigV4Crypto: OpenSSL-backed hashing for the SigV4 signer and verifier.
#include "aws/SigV4Crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

namespace quarry::aws {

QByteArray SigV4Crypto::sha256Hex(const QByteArray &data)
{
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size()), digest);
    return QByteArray(reinterpret_cast<const char *>(digest), SHA256_DIGEST_LENGTH).toHex();
}

QByteArray SigV4Crypto::hmacSha256(const QByteArray &key, const QByteArray &data)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.constData(), int(key.size()),
         reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size()), mac, &length);
    return QByteArray(reinterpret_cast<const char *>(mac), int(length));
}

QByteArray SigV4Crypto::signingKey(const QString &secretAccessKey, const QByteArray &date,
                                   const QByteArray &region, const QByteArray &service)
{
    QByteArray key = "AWS4" + secretAccessKey.toUtf8();
    key = hmacSha256(key, date);
    key = hmacSha256(key, region);
    key = hmacSha256(key, service);
    return hmacSha256(key, QByteArrayLiteral("aws4_request"));
}

bool SigV4Crypto::equalConstantTime(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    return CRYPTO_memcmp(a.constData(), b.constData(), size_t(a.size())) == 0;
}

} // namespace quarry::aws
