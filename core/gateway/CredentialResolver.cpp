// Credential resolution for a backend (the full AWS default chain comes with a later issue).
#include "gateway/CredentialResolver.h"

#include <QRegularExpression>

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
    credentials.problemCode = u"missing_credentials"_s;
    return credentials;
}

BedrockCredentials waiting(QString code, QString problem)
{
    BedrockCredentials credentials;
    credentials.kind = BedrockCredentials::Kind::Waiting;
    credentials.problem = std::move(problem);
    credentials.problemCode = std::move(code);
    return credentials;
}

} // namespace

std::optional<secrets::SecretId> CredentialResolver::referencedSecret(const config::AiBackend &backend)
{
    const auto &auth = backend.policies.auth;
    if (auth.kind != config::BackendAuth::Kind::SecretRef && auth.kind != config::BackendAuth::Kind::AwsSecretRef)
        return std::nullopt;
    return secrets::SecretId{backend.meta.ns, auth.secretName};
}

QString ChainSpec::key() const
{
    return profile + u'\n' + stsEndpoint.toString() + u'\n' + ssoEndpoint.toString();
}

std::optional<ChainSpec> CredentialResolver::defaultChain(const config::AiBackend &backend)
{
    if (backend.policies.auth.kind != config::BackendAuth::Kind::DefaultChain)
        return std::nullopt;
    const auto &annotations = backend.meta.annotations;
    return ChainSpec{annotations.value(u"quarry.dev/aws-profile"_s),
                     QUrl(annotations.value(u"quarry.dev/sts-endpoint"_s)),
                     QUrl(annotations.value(u"quarry.dev/sso-endpoint"_s))};
}

BedrockCredentials CredentialResolver::resolve(const config::AiBackend &backend, const CredentialInputs &inputs) const
{
    switch (backend.policies.auth.kind) {
    case config::BackendAuth::Kind::SecretRef:
    case config::BackendAuth::Kind::AwsSecretRef:
        return fromSecret(backend, inputs);
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
    const auto chain = inputs.chains.constFind(defaultChain(backend)->key());
    if (chain == inputs.chains.cend() && inputs.chainsPending) {
        return waiting(u"credentials_pending"_s,
                       u"Backend %1: its AWS credentials (the default credential chain) are still being looked "
                       "up. Retry in a moment."_s.arg(backendName(backend)));
    }
    if (chain == inputs.chains.cend())
        return missing(u"Backend %1: its AWS credentials have not been looked up yet."_s.arg(backendName(backend)));
    return fromChain(backendName(backend), *chain);
}

BedrockCredentials CredentialResolver::fromSecret(const config::AiBackend &backend, const CredentialInputs &inputs) const
{
    const LoadedSecrets &secrets = inputs.secrets;
    const secrets::SecretId id = *referencedSecret(backend);
    const QString secretName = id.toString();
    const QString createHint = u"Store it with: quarry create secret generic %1 -n %2 "
                               "--from-literal=accessKey=... --from-literal=secretKey=... "
                               "(or --from-literal=Authorization=<Bedrock API key>)"_s.arg(id.name, id.ns);
    const auto found = secrets.constFind(secretName);
    if (found == secrets.cend() && inputs.secretsPending) {
        return waiting(u"keychain_unavailable"_s,
                       u"Backend %1 uses secret %2, and the OS keychain has not answered yet (is it locked?). "
                       "Unlock it, or press Retry on Quarry's Overview page, then try again."_s.arg(
                           backendName(backend), secretName));
    }
    if (found != secrets.cend() && found->outcome == secrets::ReadResult::Outcome::NoAnswer) {
        return waiting(u"keychain_unavailable"_s,
                       u"Backend %1 uses secret %2, but the OS keychain has not answered: %3. Unlock it, then "
                       "press Retry on Quarry's Overview page (or restart quarry serve)."_s.arg(
                           backendName(backend), secretName, found->error));
    }
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

BedrockCredentials CredentialResolver::fromChain(const QString &backendName,
                                                const Result<aws::ResolvedCredentials> &result)
{
    if (!result.ok()) {
        BedrockCredentials credentials =
            missing(u"Backend %1 has no auth policy, so it uses the AWS default credential chain, which "
                    "found nothing usable: %2. Set AWS credentials as for the AWS CLI (environment, "
                    "~/.aws profiles, SSO), or give the backend spec.policies.auth.secretRef."_s.arg(
                        backendName, result.error()));
        // The chain's error may hold credential_process's stderr and paths: not for clients.
        const QString what =
            result.error().contains(u"credential_process"_s) ? u" (credential_process failed)"_s : QString();
        // An expired SSO login is the one case a client's user can fix from the message alone.
        static const QRegularExpression kSsoLogin(u"aws sso login --profile [A-Za-z0-9_.@+=,-]+"_s);
        const QRegularExpressionMatch login = kSsoLogin.match(result.error());
        credentials.clientProblem =
            u"Backend %1's AWS credentials could not be loaded%2; see Quarry's log (or `quarry auth check`)."_s
                .arg(backendName, what) +
            (login.hasMatch() ? u" Run `%1`."_s.arg(login.captured()) : QString());
        return credentials;
    }
    BedrockCredentials credentials;
    credentials.kind = result->kind == aws::ResolvedCredentials::BearerToken ? BedrockCredentials::Kind::BearerToken
                                                                             : BedrockCredentials::Kind::SigV4;
    credentials.aws = result->aws;
    credentials.bearerToken = result->bearerToken;
    credentials.source = result->source;
    credentials.expiration = result->expiration;
    return credentials;
}

} // namespace quarry::gateway
