// SigV4Crypto: OpenSSL-backed hashing for the SigV4 signer and verifier.
#include "aws/SigV4Crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstring>
#include <memory>
#include <optional>

namespace quarry::aws {

namespace {

// OpenSSL 3's one-shot SHA256() and HMAC() look the algorithm up by name on every call, which cost
// more than hashing SigV4's short inputs: SHA-256 is fetched once.
const EVP_MD *sha256()
{
    static EVP_MD *const md = EVP_MD_fetch(nullptr, "SHA2-256", nullptr); // lives as long as the process
    return md;
}

using DigestContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

DigestContext newDigestContext()
{
    return DigestContext(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
}

constexpr int Sha256BlockBytes = 64;

// HMAC-SHA256 (RFC 2104) as two SHA-256 states that have absorbed the key's inner and outer pads:
// each MAC continues copies of them. Every request signs with the same day's signing key, so this is
// done once per key. (EVP_MAC duplicated a context of three digests for each MAC instead: twice the
// time of this for a SigV4 string to sign, measured.)
struct HmacKey
{
    std::optional<QByteArray> key; // none until one is absorbed (an empty key is a key)
    DigestContext inner = newDigestContext();
    DigestContext outer = newDigestContext();

    bool absorb(const QByteArray &newKey)
    {
        key.reset(); // until both pads are in
        unsigned char block[Sha256BlockBytes] = {}, innerPad[Sha256BlockBytes], outerPad[Sha256BlockBytes];
        bool absorbed = true;
        if (newKey.size() > Sha256BlockBytes) // a long key is hashed first (RFC 2104, section 2)
            absorbed =
                EVP_Digest(newKey.constData(), size_t(newKey.size()), block, nullptr, sha256(), nullptr);
        else
            std::memcpy(block, newKey.constData(), size_t(newKey.size()));
        for (int i = 0; i < Sha256BlockBytes; ++i) {
            innerPad[i] = block[i] ^ 0x36;
            outerPad[i] = block[i] ^ 0x5c;
        }
        absorbed = absorbed && inner && outer && EVP_DigestInit_ex2(inner.get(), sha256(), nullptr) &&
                   EVP_DigestUpdate(inner.get(), innerPad, sizeof innerPad) &&
                   EVP_DigestInit_ex2(outer.get(), sha256(), nullptr) &&
                   EVP_DigestUpdate(outer.get(), outerPad, sizeof outerPad);
        for (unsigned char *keyMaterial : {block, innerPad, outerPad}) // not left on the stack
            OPENSSL_cleanse(keyMaterial, Sha256BlockBytes);
        if (absorbed)
            key = newKey;
        return absorbed;
    }
};

// The last signing key this thread derived: one per day, region and service for a given secret,
// where deriving it took four HMACs per request. Held only in memory, as the secret itself is.
struct SigningKeyCache
{
    QString secret;
    QByteArray date, region, service, key;
};

// Lowercase hex, as SigV4 writes hashes.
void appendHex(QByteArray &out, const unsigned char *bytes, qsizetype size)
{
    static constexpr char digits[] = "0123456789abcdef";
    const qsizetype start = out.size();
    out.resize(start + 2 * size);
    char *hex = out.data() + start;
    for (qsizetype i = 0; i < size; ++i) {
        hex[2 * i] = digits[bytes[i] >> 4];
        hex[2 * i + 1] = digits[bytes[i] & 0xF];
    }
}

} // namespace

void SigV4Crypto::appendSha256Hex(QByteArray &out, QByteArrayView data)
{
    // One context per thread, started afresh for each hash: EVP_Digest() made and freed one each
    // time, most of the cost of hashing SigV4's short inputs.
    thread_local const DigestContext context = newDigestContext();
    unsigned char digest[SHA256_DIGEST_LENGTH];
    unsigned int length = 0;
    if (!context || !EVP_DigestInit_ex2(context.get(), sha256(), nullptr) ||
        !EVP_DigestUpdate(context.get(), data.data(), size_t(data.size())) ||
        !EVP_DigestFinal_ex(context.get(), digest, &length))
        return; // only when out of memory; an empty hash is refused by AWS
    appendHex(out, digest, length);
}

QByteArray SigV4Crypto::hmacSha256(const QByteArray &key, const QByteArray &data)
{
    // Held only in memory, as the key itself is.
    thread_local HmacKey keyed;
    thread_local const DigestContext work = newDigestContext();
    if (keyed.key != key && !keyed.absorb(key))
        return {}; // only when out of memory; an empty signature is refused by AWS
    unsigned char innerHash[SHA256_DIGEST_LENGTH], mac[SHA256_DIGEST_LENGTH];
    unsigned int length = 0;
    if (!work || !EVP_MD_CTX_copy_ex(work.get(), keyed.inner.get()) ||
        !EVP_DigestUpdate(work.get(), data.constData(), size_t(data.size())) ||
        !EVP_DigestFinal_ex(work.get(), innerHash, &length) ||
        !EVP_MD_CTX_copy_ex(work.get(), keyed.outer.get()) ||
        !EVP_DigestUpdate(work.get(), innerHash, sizeof innerHash) ||
        !EVP_DigestFinal_ex(work.get(), mac, &length))
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
