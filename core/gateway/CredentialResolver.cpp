// Credential resolution for a backend (the full AWS default chain comes with a later issue).
#include "gateway/CredentialResolver.h"

using namespace Qt::StringLiterals;

namespace quarry::gateway {

namespace {

QString backendName(const config::AiBackend &backend)
{
    return backend.meta.ns + u'/' + backend.meta.name;
}

// A Bedrock API key may be stored with or without its "Bearer " scheme.
QString stripBearer(const QByteArray &value)
{
    QString token = QString::fromUtf8(value).trimmed();
    if (token.startsWith(u"Bearer "_s, Qt::CaseInsensitive))
        token = token.mid(7).trimmed();
    return token;
}

BedrockCredentials missing(QString problem)
{
    BedrockCredentials credentials;
    credentials.problem = std::move(problem);
    return credentials;
}

} // namespace

CredentialResolver::CredentialResolver(QProcessEnvironment environment) : m_environment(std::move(environment)) {}

std::optional<secrets::SecretId> CredentialResolver::referencedSecret(const config::AiBackend &backend)
{
    const auto &auth = backend.policies.auth;
    if (auth.kind != config::BackendAuth::Kind::SecretRef && auth.kind != config::BackendAuth::Kind::AwsSecretRef)
        return std::nullopt;
    return secrets::SecretId{backend.meta.ns, auth.secretName};
}

BedrockCredentials CredentialResolver::resolve(const config::AiBackend &backend, const LoadedSecrets &secrets) const
{
    switch (backend.policies.auth.kind) {
    case config::BackendAuth::Kind::SecretRef:
    case config::BackendAuth::Kind::AwsSecretRef:
        return fromSecret(backend, secrets);
    case config::BackendAuth::Kind::InlineKey: {
        BedrockCredentials credentials;
        credentials.kind = BedrockCredentials::Kind::BearerToken;
        credentials.bearerToken = stripBearer(backend.policies.auth.inlineKey.toUtf8());
        credentials.source = u"inline key in backend "_s + backendName(backend);
        return credentials;
    }
    case config::BackendAuth::Kind::DefaultChain:
        break;
    }
    return fromEnvironment(backendName(backend));
}

BedrockCredentials CredentialResolver::fromSecret(const config::AiBackend &backend, const LoadedSecrets &secrets) const
{
    const secrets::SecretId id = *referencedSecret(backend);
    const QString secretName = id.toString();
    const QString createHint = u"Store it with: quarry create secret generic %1 -n %2 "
                               "--from-literal=accessKey=... --from-literal=secretKey=... "
                               "(or --from-literal=Authorization=<Bedrock API key>)"_s.arg(id.name, id.ns);
    const auto found = secrets.constFind(secretName);
    if (found == secrets.cend() || found->outcome == secrets::ReadResult::Outcome::NotFound) {
        return missing(u"Backend %1 uses secret %2, which is not in the keychain. %3"_s.arg(backendName(backend),
                                                                                             secretName, createHint));
    }
    if (found->outcome == secrets::ReadResult::Outcome::Failed) {
        return missing(u"Backend %1 uses secret %2, which could not be read from the keychain: %3"_s.arg(
            backendName(backend), secretName, found->error));
    }

    const secrets::SecretData &data = found->data;
    BedrockCredentials credentials;
    credentials.source = u"secret "_s + secretName;
    const bool awsOnly = backend.policies.auth.kind == config::BackendAuth::Kind::AwsSecretRef;
    if (!awsOnly && data.contains(u"Authorization"_s)) {
        credentials.kind = BedrockCredentials::Kind::BearerToken;
        credentials.bearerToken = stripBearer(data.value(u"Authorization"_s));
        return credentials;
    }
    credentials.aws.accessKeyId = QString::fromUtf8(data.value(u"accessKey"_s)).trimmed();
    credentials.aws.secretAccessKey = QString::fromUtf8(data.value(u"secretKey"_s)).trimmed();
    credentials.aws.sessionToken = QString::fromUtf8(data.value(u"sessionToken"_s)).trimmed();
    if (credentials.aws.accessKeyId.isEmpty() || credentials.aws.secretAccessKey.isEmpty()) {
        return missing(u"Secret %1 (used by backend %2) has neither accessKey and secretKey%3. %4"_s.arg(
            secretName, backendName(backend), awsOnly ? QString() : u" nor Authorization"_s, createHint));
    }
    credentials.kind = BedrockCredentials::Kind::SigV4;
    return credentials;
}

BedrockCredentials CredentialResolver::fromEnvironment(const QString &backendName) const
{
    BedrockCredentials credentials;
    credentials.source = u"environment"_s;
    // The AWS SDKs prefer a Bedrock API key when one is set.
    const QString bearer = m_environment.value(u"AWS_BEARER_TOKEN_BEDROCK"_s).trimmed();
    if (!bearer.isEmpty()) {
        credentials.kind = BedrockCredentials::Kind::BearerToken;
        credentials.bearerToken = bearer;
        credentials.source = u"environment (AWS_BEARER_TOKEN_BEDROCK)"_s;
        return credentials;
    }
    credentials.aws.accessKeyId = m_environment.value(u"AWS_ACCESS_KEY_ID"_s).trimmed();
    credentials.aws.secretAccessKey = m_environment.value(u"AWS_SECRET_ACCESS_KEY"_s).trimmed();
    credentials.aws.sessionToken = m_environment.value(u"AWS_SESSION_TOKEN"_s).trimmed();
    if (!credentials.aws.accessKeyId.isEmpty() && !credentials.aws.secretAccessKey.isEmpty()) {
        credentials.kind = BedrockCredentials::Kind::SigV4;
        credentials.source = u"environment (AWS_ACCESS_KEY_ID)"_s;
        return credentials;
    }
    return missing(u"Backend %1 has no auth policy and no AWS credentials were found in the environment "
                   "(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_BEARER_TOKEN_BEDROCK). Set them before "
                   "starting Quarry, or give the backend spec.policies.auth.secretRef and store the secret "
                   "with quarry create secret."_s.arg(backendName));
}

} // namespace quarry::gateway
