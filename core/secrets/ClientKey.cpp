// Client key generation, digests and the constant-time comparison.
#include "secrets/ClientKey.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace quarry::secrets::clientkey {

namespace {

QByteArray randomBytes(qsizetype count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    QRandomGenerator::system()->generate(bytes.begin(), bytes.end());
    return bytes;
}

} // namespace

QByteArray generate()
{
    return "qk_" + randomBytes(32).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray hash(QByteArrayView salt, QByteArrayView key)
{
    QCryptographicHash sha(QCryptographicHash::Sha256);
    sha.addData(salt);
    sha.addData(key);
    return sha.result();
}

ClientKeyDigest digestOf(QByteArrayView key)
{
    ClientKeyDigest digest;
    digest.salt = randomBytes(16);
    digest.hash = hash(digest.salt, key);
    return digest;
}

QString fingerprintOf(QByteArrayView key)
{
    const QByteArray sha = QCryptographicHash::hash(key, QCryptographicHash::Sha256);
    return u"sha256:"_s + QString::fromLatin1(sha.left(4).toHex());
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

bool isValidName(const QString &name)
{
    static const QRegularExpression pattern(u"^[A-Za-z0-9._-]{1,63}$"_s);
    return pattern.match(name).hasMatch();
}

} // namespace quarry::secrets::clientkey
