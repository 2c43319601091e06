// SigV4Crypto: OpenSSL-backed hashing for the SigV4 signer and verifier.
#include "aws/SigV4Crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <memory>

namespace quarry::aws {

namespace {

// OpenSSL 3's one-shot SHA256() and HMAC() look the algorithm up by name on every call, which cost
// more than hashing SigV4's short inputs: the algorithms are fetched once, per thread.
const EVP_MD *sha256()
{
    static EVP_MD *const md = EVP_MD_fetch(nullptr, "SHA2-256", nullptr); // lives as long as the process
    return md;
}

using MacContext = std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)>;

// An HMAC-SHA256 context with the digest chosen and no key yet; each MAC starts from a copy.
const EVP_MAC_CTX *hmacTemplate()
{
    thread_local const MacContext context = [] {
        EVP_MAC *mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
        MacContext made(EVP_MAC_CTX_new(mac), &EVP_MAC_CTX_free);
        EVP_MAC_free(mac); // the context holds its own reference
        char digest[] = "SHA2-256";
        const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0), OSSL_PARAM_construct_end()};
        EVP_MAC_CTX_set_params(made.get(), params);
        return made;
    }();
    return context.get();
}

// The last signing key this thread derived: one per day, region and service for a given secret,
// where deriving it took four HMACs per request. Held only in memory, as the secret itself is.
struct SigningKeyCache
{
    QString secret;
    QByteArray date, region, service, key;
};

} // namespace

QByteArray SigV4Crypto::sha256Hex(const QByteArray &data)
{
    // One context per thread, started afresh for each hash: EVP_Digest() made and freed one each
    // time, most of the cost of hashing SigV4's short inputs.
    thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                                       &EVP_MD_CTX_free);
    unsigned char digest[SHA256_DIGEST_LENGTH];
    unsigned int length = 0;
    if (!context || !EVP_DigestInit_ex2(context.get(), sha256(), nullptr)
        || !EVP_DigestUpdate(context.get(), data.constData(), size_t(data.size()))
        || !EVP_DigestFinal_ex(context.get(), digest, &length))
        return {}; // only when out of memory; an empty hash is refused by AWS
    return QByteArray(reinterpret_cast<const char *>(digest), int(length)).toHex();
}

QByteArray SigV4Crypto::hmacSha256(const QByteArray &key, const QByteArray &data)
{
    // The last key's context, keyed: every request signs with the same day's signing key, and
    // keying a context cost as much as the MAC itself. Held only in memory, as the key is.
    thread_local QByteArray lastKey;
    thread_local MacContext keyed(nullptr, &EVP_MAC_CTX_free);
    if (!keyed || key != lastKey) {
        MacContext fresh(EVP_MAC_CTX_dup(hmacTemplate()), &EVP_MAC_CTX_free);
        if (!fresh || !EVP_MAC_init(fresh.get(), reinterpret_cast<const unsigned char *>(key.constData()),
                                    size_t(key.size()), nullptr))
            return {}; // only when out of memory; an empty signature is refused by AWS
        keyed = std::move(fresh);
        lastKey = key;
    }
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t length = 0;
    const MacContext context(EVP_MAC_CTX_dup(keyed.get()), &EVP_MAC_CTX_free);
    if (!context
        || !EVP_MAC_update(context.get(), reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size()))
        || !EVP_MAC_final(context.get(), mac, &length, sizeof mac))
        return {};
    return QByteArray(reinterpret_cast<const char *>(mac), qsizetype(length));
}

QByteArray SigV4Crypto::signingKey(const QString &secretAccessKey, const QByteArray &date,
                                   const QByteArray &region, const QByteArray &service)
{
    thread_local SigningKeyCache last;
    if (!last.key.isEmpty() && last.date == date && last.region == region && last.service == service
        && last.secret == secretAccessKey)
        return last.key;
    QByteArray key = "AWS4" + secretAccessKey.toUtf8();
    key = hmacSha256(key, date);
    key = hmacSha256(key, region);
    key = hmacSha256(key, service);
    key = hmacSha256(key, QByteArrayLiteral("aws4_request"));
    last = {secretAccessKey, date, region, service, key};
    return key;
}

bool SigV4Crypto::equalConstantTime(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    return CRYPTO_memcmp(a.constData(), b.constData(), size_t(a.size())) == 0;
}

} // namespace quarry::aws
