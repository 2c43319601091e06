// The Secrets exported backends refer to, with placeholders instead of values.
#include "config/export/SecretPlaceholders.h"

#include "config/InlineKeys.h"

using namespace Qt::StringLiterals;

namespace quarry::config {
namespace {

void addReference(QList<SecretReference> &references, const AiBackend &backend, const BackendAuth &auth)
{
    if (auth.kind != BackendAuth::Kind::SecretRef && auth.kind != BackendAuth::Kind::AwsSecretRef)
        return;
    const SecretReference reference{backend.meta.ns, auth.secretName, auth.kind, backend.meta.name};
    for (const SecretReference &known : std::as_const(references)) {
        if (known.ns == reference.ns && known.name == reference.name)
            return;
    }
    references.append(reference);
}

} // namespace

QList<SecretReference> SecretPlaceholders::referencedBy(const QList<AiBackend> &backends)
{
    QList<SecretReference> references;
    for (const AiBackend &backend : backends) {
        addReference(references, backend, backend.policies.auth);
        for (const AiProviderGroup &group : backend.groups) {
            for (const AiProvider &provider : group.providers) {
                if (provider.policies)
                    addReference(references, backend, provider.policies->auth);
            }
        }
    }
    return references;
}

QStringList SecretPlaceholders::keysFor(const SecretReference &reference,
                                        const QHash<QString, QStringList> &known)
{
    const QStringList keys = known.value(reference.ns + u'/' + reference.name);
    if (!keys.isEmpty())
        return keys;
    if (reference.name.endsWith(u"-inline-key"_s))
        return {InlineKeys::kSecretKey};
    // The keys of the Bedrock guide's bedrock-secret, which both secretRef and aws.secretRef read.
    return {u"accessKey"_s, u"secretKey"_s, u"sessionToken"_s};
}

QString SecretPlaceholders::environmentVariable(const QString &key)
{
    if (key == "accessKey"_L1)
        return u"AWS_ACCESS_KEY_ID"_s;
    if (key == "secretKey"_L1)
        return u"AWS_SECRET_ACCESS_KEY"_s;
    if (key == "sessionToken"_L1)
        return u"AWS_SESSION_TOKEN"_s;
    if (key == InlineKeys::kSecretKey)
        return u"AWS_BEARER_TOKEN_BEDROCK"_s; // the variable the AWS SDKs read a Bedrock API key from
    QString name;
    for (const QChar c : key) {
        if (c.isUpper() && !name.isEmpty() && !name.endsWith(u'_'))
            name += u'_';
        name += c.isLetterOrNumber() ? c.toUpper() : u'_';
    }
    return name;
}

ExportedDocument SecretPlaceholders::manifest(const SecretReference &reference, const QStringList &keys)
{
    QJsonObject stringData;
    for (const QString &key : keys)
        stringData.insert(key, QString(u"${"_s + environmentVariable(key) + u'}'));
    QJsonObject metadata{{u"name"_s, reference.name}, {u"namespace"_s, reference.ns}};
    ExportedDocument document;
    document.comments = {
        u"Secret for backend %1: placeholders, not values. Fill them in, or apply with"_s.arg(
            reference.usedBy),
        u"`envsubst < FILE | kubectl apply -f -` with the variables set."_s};
    document.object = QJsonObject{{u"apiVersion"_s, u"v1"_s},
                                  {u"kind"_s, u"Secret"_s},
                                  {u"metadata"_s, metadata},
                                  {u"type"_s, u"Opaque"_s},
                                  {u"stringData"_s, stringData}};
    return document;
}

QString SecretPlaceholders::kubectlCommand(const SecretReference &reference, const QStringList &keys)
{
    QString command = u"kubectl create secret generic %1 -n %2"_s.arg(reference.name, reference.ns);
    for (const QString &key : keys)
        command += u" --from-literal=%1=\"$%2\""_s.arg(key, environmentVariable(key));
    return command;
}

} // namespace quarry::config
