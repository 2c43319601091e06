// StsResponse: a QXmlStreamReader walk that picks the Credentials or Error elements out of an STS reply.
#include "aws/credentials/StsResponse.h"

#include "aws/credentials/AwsTime.h"

#include <QHash>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace quarry::aws {

namespace {

// Leaf text of the elements inside <Credentials> and <Error>, keyed "Credentials/AccessKeyId".
QHash<QString, QString> collectLeaves(const QByteArray &body, bool *wellFormed)
{
    QHash<QString, QString> leaves;
    QXmlStreamReader xml(body);
    QString parent;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const QString name = xml.name().toString();
        if (name == u"Credentials"_s || name == u"Error"_s) {
            parent = name;
        } else if (!parent.isEmpty()) {
            const QString text = xml.readElementText(QXmlStreamReader::SkipChildElements).trimmed();
            leaves.insert(parent + u'/' + name, text);
        }
    }
    *wellFormed = !xml.hasError();
    return leaves;
}

} // namespace

Result<ResolvedCredentials> StsResponse::parse(int httpStatus, const QByteArray &body)
{
    bool wellFormed = false;
    const QHash<QString, QString> leaves = collectLeaves(body, &wellFormed);
    if (httpStatus != 200) {
        const QString code = leaves.value(u"Error/Code"_s);
        if (code.isEmpty())
            return Result<ResolvedCredentials>::failure(u"STS answered HTTP %1"_s.arg(httpStatus));
        return Result<ResolvedCredentials>::failure(
            u"STS %1: %2"_s.arg(code, leaves.value(u"Error/Message"_s)));
    }
    ResolvedCredentials resolved;
    resolved.aws.accessKeyId = leaves.value(u"Credentials/AccessKeyId"_s);
    resolved.aws.secretAccessKey = leaves.value(u"Credentials/SecretAccessKey"_s);
    resolved.aws.sessionToken = leaves.value(u"Credentials/SessionToken"_s);
    resolved.expiration = AwsTime::parseIso8601(leaves.value(u"Credentials/Expiration"_s));
    if (!wellFormed || !resolved.aws.isComplete() || resolved.aws.sessionToken.isEmpty() ||
        !resolved.expiration.isValid())
        return Result<ResolvedCredentials>::failure(
            u"STS answered 200 without complete <Credentials> (AccessKeyId, SecretAccessKey, "
            "SessionToken, Expiration)"_s);
    return resolved;
}

} // namespace quarry::aws
