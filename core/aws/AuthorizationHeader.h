// AuthorizationHeader: a parsed "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..." value.
#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QString>

namespace quarry::aws {

struct AuthorizationHeader
{
    QString accessKeyId;
    QByteArray date; // yyyyMMdd from the credential scope
    QByteArray region;
    QByteArray service;
    QByteArrayList signedHeaders; // lowercase, as listed
    QByteArray signature;         // lowercase hex

    // Fails with the message AWS gives for an incomplete Authorization header.
    static Result<AuthorizationHeader> parse(const QByteArray &value);
};

} // namespace quarry::aws
