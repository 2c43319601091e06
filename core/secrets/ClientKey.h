// Client keys: what a local client presents to use the gateway, and the salted digest Quarry keeps
// to recognise one without holding the key where the listener can read it.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace quarry::secrets {

struct ClientKeyDigest
{
    QByteArray salt; // 16 random bytes
    QByteArray hash; // SHA-256(salt || key)
};

namespace clientkey {

// "qk_" + 43 base64url characters (32 random bytes from the system's CSPRNG).
QByteArray generate();
ClientKeyDigest digestOf(QByteArrayView key);
QByteArray hash(QByteArrayView salt, QByteArrayView key);
// "sha256:1a2b3c4d": the first 8 hex digits of SHA-256(key); tells keys apart, reveals nothing usable.
QString fingerprintOf(QByteArrayView key);
// Looks at every byte whatever the contents, so the time taken says nothing about where a guess
// went wrong. Different lengths compare unequal (digests always have the same length).
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);
// Names as `quarry keys create NAME` takes them: 1-63 of [A-Za-z0-9._-].
bool isValidName(const QString &name);

} // namespace clientkey

} // namespace quarry::secrets
