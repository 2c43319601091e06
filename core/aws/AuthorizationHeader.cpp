// AuthorizationHeader: parses the SigV4 Authorization header a client sent.
#include "aws/AuthorizationHeader.h"

namespace quarry::aws {

namespace {

using namespace Qt::StringLiterals;

QString missingParameter(const char *name)
{
    return u"Authorization header requires '"_s + QLatin1String(name) + u"' parameter. "_s;
}

} // namespace

Result<AuthorizationHeader> AuthorizationHeader::parse(const QByteArray &value)
{
    const QByteArray prefix = QByteArrayLiteral("AWS4-HMAC-SHA256 ");
    const QByteArray trimmed = value.trimmed();
    if (!trimmed.startsWith(prefix))
        return Result<AuthorizationHeader>::failure(
            u"Authorization header must start with 'AWS4-HMAC-SHA256'."_s);

    QByteArray credential, signedHeaders, signature;
    for (const QByteArray &part : trimmed.mid(prefix.size()).split(',')) {
        const QByteArray item = part.trimmed();
        if (item.startsWith("Credential="))
            credential = item.mid(int(sizeof("Credential=")) - 1);
        else if (item.startsWith("SignedHeaders="))
            signedHeaders = item.mid(int(sizeof("SignedHeaders=")) - 1);
        else if (item.startsWith("Signature="))
            signature = item.mid(int(sizeof("Signature=")) - 1);
    }
    QString missing;
    if (credential.isEmpty())
        missing += missingParameter("Credential");
    if (signature.isEmpty())
        missing += missingParameter("Signature");
    if (signedHeaders.isEmpty())
        missing += missingParameter("SignedHeaders");
    if (!missing.isEmpty())
        return Result<AuthorizationHeader>::failure(missing + u"Authorization="_s +
                                                    QString::fromUtf8(trimmed.left(prefix.size() - 1)));

    const QByteArrayList scope = credential.split('/');
    if (scope.size() != 5 || scope[0].isEmpty() || scope[1].size() != 8 || scope[4] != "aws4_request")
        return Result<AuthorizationHeader>::failure(
            u"Credential should be scoped to a valid region, service and terminal 'aws4_request'. Credential="_s +
            QString::fromUtf8(credential));

    AuthorizationHeader header;
    header.accessKeyId = QString::fromUtf8(scope[0]);
    header.date = scope[1];
    header.region = scope[2];
    header.service = scope[3];
    header.signedHeaders = signedHeaders.toLower().split(';');
    header.signature = signature.toLower();
    return header;
}

} // namespace quarry::aws
