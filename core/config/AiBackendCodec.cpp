// AgentgatewayBackend (v2.2) manifest <-> AiBackend, and the v2.1 Backend shape converted on import.
#include "config/AiBackendCodec.h"

#include "config/BudgetAnnotations.h"
#include "config/Duration.h"
#include "config/MetaCodec.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace quarry::config {
namespace {

const QStringList kOtherProviders{u"openai"_s, u"azureopenai"_s, u"anthropic"_s, u"gemini"_s,
                                  u"vertexai"_s};
const QStringList kRouteTypes{u"Completions"_s, u"Messages"_s,   u"Models"_s,
                              u"Passthrough"_s, u"Responses"_s,  u"AnthropicTokenCount"_s,
                              u"Embeddings"_s};

bool rejectOtherProviders(FieldReader &reader)
{
    for (const QString &other : kOtherProviders) {
        if (reader.has(other)) {
            reader.fail(u"only bedrock is supported by Quarry"_s);
            return true;
        }
    }
    return false;
}

// v2.1 kept the auth inside the bedrock block; v2.2 moved it to spec.policies.auth.
BedrockProvider decodeBedrock(FieldReader &reader, bool legacyAuth = false)
{
    static const QRegularExpression kRegion(u"^[a-z0-9-]+$"_s);
    if (legacyAuth)
        reader.allowOnly({"model", "region", "guardrail", "auth"});
    else
        reader.allowOnly({"model", "region", "guardrail"});
    BedrockProvider bedrock;
    bedrock.model = reader.string(u"model"_s, FieldReader::Optional, 256);
    // Said in words, not as the pattern: the message reaches people (the window, `quarry apply`).
    if (reader.has(u"region"_s))
        bedrock.region = reader.string(u"region"_s);
    if (reader.ok() && !kRegion.match(bedrock.region).hasMatch())
        reader.failField(u"region"_s, u"invalid value \"%1\": expected an AWS region such as us-east-1 "
                                      "(lower-case letters, digits and dashes)"_s.arg(bedrock.region));
    if (bedrock.region.size() > 63)
        reader.failField(u"region"_s, u"must be at most 63 characters"_s);
    if (auto guardrail = reader.child(u"guardrail"_s)) {
        guardrail->allowOnly({"identifier", "version"});
        bedrock.guardrail = Guardrail{guardrail->string(u"identifier"_s, FieldReader::Required, 256),
                                      guardrail->string(u"version"_s, FieldReader::Required, 256)};
    }
    return bedrock;
}

void checkHostPortTogether(FieldReader &reader, const AiProvider &provider)
{
    if (provider.host.isEmpty() != !provider.port.has_value())
        reader.fail(u"both host and port must be set together"_s);
}

// spec.policies.tls as the CRD constrains it (schemas/agentgateway.dev_agentgatewaybackends.yaml).
void checkTls(FieldReader &tls)
{
    tls.allowOnly({"alpnProtocols", "caCertificateRefs", "insecureSkipVerify", "mtlsCertificateRef", "sni",
                   "verifySubjectAltNames"});
    for (const char *key : {"caCertificateRefs", "mtlsCertificateRef"}) {
        QList<FieldReader> refs = tls.children(QString::fromLatin1(key));
        if (refs.size() > 1)
            tls.failField(QString::fromLatin1(key), u"at most one reference is allowed"_s);
        for (FieldReader &ref : refs) {
            ref.allowOnly({"name"});
            ref.string(u"name"_s, FieldReader::Required, 253);
        }
    }
    tls.enumString(u"insecureSkipVerify"_s, {u"All"_s, u"Hostname"_s});
    static const QRegularExpression kSni(u"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"_s);
    tls.patternString(u"sni"_s, kSni);
    tls.stringList(u"alpnProtocols"_s);
    tls.stringList(u"verifySubjectAltNames"_s);
}

BackendPolicies decodePolicies(FieldReader &reader);

AiProvider decodeProvider(FieldReader &reader, bool inGroup)
{
    AiProvider provider;
    if (rejectOtherProviders(reader))
        return provider;
    if (inGroup)
        reader.allowOnly({"name", "bedrock", "host", "port", "path", "policies"});
    else
        reader.allowOnly({"bedrock", "host", "port", "path"});
    if (inGroup) {
        static const QRegularExpression kName(
            u"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"_s);
        provider.name = reader.patternString(u"name"_s, kName, FieldReader::Required);
    }
    if (auto bedrock = reader.child(u"bedrock"_s, FieldReader::Required))
        provider.bedrock = decodeBedrock(*bedrock);
    provider.host = reader.string(u"host"_s, FieldReader::Optional, 256);
    provider.port = reader.integer(u"port"_s, 1, 65535);
    provider.path = reader.string(u"path"_s, FieldReader::Optional, 1024);
    checkHostPortTogether(reader, provider);
    if (inGroup) {
        if (auto policies = reader.child(u"policies"_s))
            provider.policies = decodePolicies(*policies);
    }
    return provider;
}

BackendAuth decodeAuth(FieldReader &reader)
{
    reader.allowOnly({"secretRef", "aws", "key", "passthrough", "azure"});
    BackendAuth auth;
    const QStringList present = [&reader] {
        QStringList keys;
        for (const QString &key : {u"secretRef"_s, u"aws"_s, u"key"_s, u"passthrough"_s, u"azure"_s})
            if (reader.has(key))
                keys.append(key);
        return keys;
    }();
    if (present.size() != 1) {
        reader.fail(u"exactly one of the fields in [key secretRef passthrough aws azure] must be set"_s);
        return auth;
    }
    if (present.first() == "passthrough"_L1 || present.first() == "azure"_L1) {
        reader.failField(present.first(), u"not supported by Quarry"_s);
    } else if (auto ref = reader.child(u"secretRef"_s)) {
        ref->allowOnly({"name"});
        auth = {BackendAuth::Kind::SecretRef, ref->string(u"name"_s, FieldReader::Required), {}};
    } else if (auto aws = reader.child(u"aws"_s)) {
        aws->allowOnly({"secretRef"});
        if (auto awsRef = aws->child(u"secretRef"_s, FieldReader::Required)) {
            awsRef->allowOnly({"name"});
            auth = {BackendAuth::Kind::AwsSecretRef, awsRef->string(u"name"_s, FieldReader::Required), {}};
        }
    } else {
        auth = {BackendAuth::Kind::InlineKey, {}, reader.string(u"key"_s, FieldReader::Required, 2048)};
        if (auth.inlineKey == AiBackendCodec::kRedactedKey)
            reader.failField(u"key"_s,
                             u"is the placeholder Quarry prints instead of the key; give the key itself, "
                             "or a secretRef"_s);
    }
    return auth;
}

// v2.1's auth{type: Secret, secretRef} becomes v2.2's policies.auth.secretRef.
BackendAuth decodeLegacyAuth(FieldReader &reader)
{
    reader.allowOnly({"type", "secretRef"});
    reader.enumString(u"type"_s, {u"Secret"_s}, FieldReader::Required);
    BackendAuth auth;
    if (auto ref = reader.child(u"secretRef"_s, FieldReader::Required)) {
        ref->allowOnly({"name"});
        auth = {BackendAuth::Kind::SecretRef, ref->string(u"name"_s, FieldReader::Required), {}};
    }
    return auth;
}

// v2.1's route types were lower-case ("completions", "anthropic_token_count").
QJsonObject decodeLegacyRoutes(FieldReader &reader)
{
    static const QHash<QString, QString> kTypes{{u"completions"_s, u"Completions"_s},
                                                {u"messages"_s, u"Messages"_s},
                                                {u"models"_s, u"Models"_s},
                                                {u"passthrough"_s, u"Passthrough"_s},
                                                {u"responses"_s, u"Responses"_s},
                                                {u"anthropic_token_count"_s, u"AnthropicTokenCount"_s}};
    QJsonObject routes;
    const QMap<QString, QString> legacy = reader.stringMap(u"routes"_s);
    for (auto it = legacy.begin(); it != legacy.end(); ++it) {
        if (!kTypes.contains(it.value()))
            reader.failField(u"routes."_s + it.key(), u"unsupported value \"%1\": supported values: %2"_s.arg(
                                                          it.value(), QStringList(kTypes.keys()).join(u", "_s)));
        routes.insert(it.key(), kTypes.value(it.value()));
    }
    return routes;
}

// v2.1's llm (or a priority group's provider): the bedrock block carries its own auth, the path is
// {full}. The auth lands where v2.2 keeps it: the backend's policies, or a group provider's.
AiProvider decodeLegacyProvider(FieldReader &reader, AiBackend &backend, bool inGroup)
{
    if (inGroup)
        reader.allowOnly({"name", "bedrock", "host", "port", "path", "routes"});
    else
        reader.allowOnly({"bedrock", "host", "port", "path", "routes"});
    AiProvider provider;
    if (inGroup)
        provider.name = reader.string(u"name"_s, FieldReader::Required, 253);
    BackendAuth auth;
    if (auto bedrock = reader.child(u"bedrock"_s, FieldReader::Required)) {
        provider.bedrock = decodeBedrock(*bedrock, true);
        if (auto legacyAuth = bedrock->child(u"auth"_s))
            auth = decodeLegacyAuth(*legacyAuth);
    }
    if (auth.kind != BackendAuth::Kind::DefaultChain) {
        if (inGroup)
            provider.policies = BackendPolicies{auth, {}, {}, {}, {}, {}};
        else
            backend.policies.auth = auth;
    }
    provider.host = reader.string(u"host"_s, FieldReader::Optional, 256);
    provider.port = reader.integer(u"port"_s, 1, 65535);
    if (auto path = reader.child(u"path"_s)) {
        path->allowOnly({"full"});
        provider.path = path->string(u"full"_s, FieldReader::Required, 1024);
    }
    checkHostPortTogether(reader, provider);
    const QJsonObject routes = decodeLegacyRoutes(reader);
    if (!routes.isEmpty())
        backend.policies.ai.insert(u"routes"_s, routes);
    return provider;
}

void checkFieldValues(FieldReader &reader, const QString &key)
{
    for (FieldReader &item : reader.children(key, FieldReader::Optional, 1)) {
        item.allowOnly({"field", "value"});
        item.string(u"field"_s, FieldReader::Required, 256);
        if (!item.object().contains(u"value"_s))
            item.fail(u"missing required field \"%1\""_s.arg(item.path(u"value"_s)));
    }
}

// Kept as JSON for the gateway to interpret, but checked here so a typo fails at apply time.
QJsonObject decodeAiPolicy(FieldReader &reader)
{
    reader.allowOnly({"routes", "defaults", "overrides", "modelAliases", "prompt", "promptCaching",
                      "promptGuard"});
    const QMap<QString, QString> routes = reader.stringMap(u"routes"_s);
    for (auto it = routes.begin(); it != routes.end(); ++it) {
        if (!kRouteTypes.contains(it.value()))
            reader.failField(u"routes."_s + it.key(),
                             u"unsupported value \"%1\": supported values: %2"_s.arg(
                                 it.value(), kRouteTypes.join(u", "_s)));
    }
    checkFieldValues(reader, u"defaults"_s);
    checkFieldValues(reader, u"overrides"_s);
    reader.stringMap(u"modelAliases"_s);
    if (auto caching = reader.child(u"promptCaching"_s)) {
        caching->allowOnly({"cacheMessages", "cacheSystem", "cacheTools", "minTokens"});
        caching->boolean(u"cacheMessages"_s);
        caching->boolean(u"cacheSystem"_s);
        caching->boolean(u"cacheTools"_s);
        caching->integer(u"minTokens"_s, 0, 1 << 30);
    }
    if (auto prompt = reader.child(u"prompt"_s)) {
        prompt->allowOnly({"prepend", "append"});
        for (const QString &list : {u"prepend"_s, u"append"_s}) {
            for (FieldReader &message : prompt->children(list)) {
                message.allowOnly({"role", "content"});
                // The roles the gateway can place in a Converse body (PromptEnrichment), in any case.
                const QString role = message.string(u"role"_s, FieldReader::Required).toLower();
                if (message.ok() && role != "system"_L1 && role != "user"_L1 && role != "assistant"_L1)
                    message.failField(u"role"_s, u"must be SYSTEM, USER or ASSISTANT"_s);
                message.string(u"content"_s, FieldReader::Required);
            }
        }
    }
    reader.child(u"promptGuard"_s);
    return reader.object();
}

BackendPolicies decodePolicies(FieldReader &reader)
{
    reader.allowOnly({"auth", "ai", "http", "tcp", "tls"});
    BackendPolicies policies;
    if (auto auth = reader.child(u"auth"_s))
        policies.auth = decodeAuth(*auth);
    if (auto ai = reader.child(u"ai"_s))
        policies.ai = decodeAiPolicy(*ai);
    if (auto http = reader.child(u"http"_s)) {
        http->allowOnly({"requestTimeout", "version"});
        policies.requestTimeoutMs = http->duration(u"requestTimeout"_s, 1);
        policies.httpVersion = http->enumString(u"version"_s, {u"HTTP1"_s, u"HTTP2"_s});
    }
    if (auto tcp = reader.child(u"tcp"_s)) {
        tcp->allowOnly({"connectTimeout"});
        policies.connectTimeoutMs = tcp->duration(u"connectTimeout"_s, 100);
    }
    if (auto tls = reader.child(u"tls"_s)) {
        checkTls(*tls);
        policies.tls = tls->object(); // kept whole, so export gives back what was written
    }
    return policies;
}

// The STS and SSO endpoints a backend's credential chain calls carry the SSO access token and
// return credentials: TLS only, but for a loopback host (a local fake in tests, a local proxy).
void checkCredentialEndpoints(FieldReader &document, const ObjectMeta &meta)
{
    for (const QString &annotation : {u"quarry.dev/sts-endpoint"_s, u"quarry.dev/sso-endpoint"_s}) {
        if (!meta.annotations.contains(annotation))
            continue;
        const QUrl url(meta.annotations.value(annotation), QUrl::StrictMode);
        const QString host = url.host();
        const bool loopback =
            host.compare(u"localhost"_s, Qt::CaseInsensitive) == 0 || QHostAddress(host).isLoopback();
        QString problem;
        if (!url.isValid() || host.isEmpty() || (url.scheme() != "https"_L1 && url.scheme() != "http"_L1))
            problem = u"must be an https:// URL"_s;
        else if (url.scheme() == "http"_L1 && !loopback)
            problem =
                u"must use https:// (credentials and the SSO access token would travel in clear); http:// "
                "is accepted only for a loopback host (localhost, 127.0.0.0/8, ::1)"_s;
        if (problem.isEmpty())
            continue;
        if (auto metadata = document.child(u"metadata"_s)) {
            if (auto annotations = metadata->child(u"annotations"_s))
                annotations->failField(annotation, problem);
        }
        return;
    }
}

void rejectNonAiSpec(FieldReader &spec)
{
    for (const QString &key : {u"static"_s, u"mcp"_s, u"dynamicForwardProxy"_s, u"aws"_s}) {
        if (spec.has(key))
            spec.failField(key, u"only AI backends are supported by Quarry"_s);
    }
}

QJsonObject encodeBedrock(const BedrockProvider &bedrock)
{
    QJsonObject object{{u"region"_s, bedrock.region}};
    if (!bedrock.model.isEmpty())
        object.insert(u"model"_s, bedrock.model);
    if (bedrock.guardrail)
        object.insert(u"guardrail"_s, QJsonObject{{u"identifier"_s, bedrock.guardrail->identifier},
                                                  {u"version"_s, bedrock.guardrail->version}});
    return object;
}

QJsonObject encodePolicies(const BackendPolicies &policies, bool redactKeys);

QJsonObject encodeProvider(const AiProvider &provider, bool redactKeys)
{
    QJsonObject object{{u"bedrock"_s, encodeBedrock(provider.bedrock)}};
    if (!provider.name.isEmpty())
        object.insert(u"name"_s, provider.name);
    if (!provider.host.isEmpty())
        object.insert(u"host"_s, provider.host);
    if (provider.port)
        object.insert(u"port"_s, *provider.port);
    if (!provider.path.isEmpty())
        object.insert(u"path"_s, provider.path);
    if (provider.policies)
        object.insert(u"policies"_s, encodePolicies(*provider.policies, redactKeys));
    return object;
}

QJsonObject encodeAuth(const BackendAuth &auth, bool redactKeys)
{
    const QJsonObject ref{{u"name"_s, auth.secretName}};
    switch (auth.kind) {
    case BackendAuth::Kind::SecretRef:
        return {{u"secretRef"_s, ref}};
    case BackendAuth::Kind::AwsSecretRef:
        return {{u"aws"_s, QJsonObject{{u"secretRef"_s, ref}}}};
    case BackendAuth::Kind::InlineKey:
        return {{u"key"_s, redactKeys ? AiBackendCodec::kRedactedKey : auth.inlineKey}};
    case BackendAuth::Kind::DefaultChain:
        break;
    }
    return {};
}

QJsonObject encodePolicies(const BackendPolicies &policies, bool redactKeys)
{
    QJsonObject object;
    const QJsonObject auth = encodeAuth(policies.auth, redactKeys);
    if (!auth.isEmpty())
        object.insert(u"auth"_s, auth);
    if (!policies.ai.isEmpty())
        object.insert(u"ai"_s, policies.ai);
    QJsonObject http;
    if (policies.requestTimeoutMs)
        http.insert(u"requestTimeout"_s, formatDuration(*policies.requestTimeoutMs));
    if (!policies.httpVersion.isEmpty())
        http.insert(u"version"_s, policies.httpVersion);
    if (!http.isEmpty())
        object.insert(u"http"_s, http);
    if (policies.connectTimeoutMs)
        object.insert(u"tcp"_s, QJsonObject{{u"connectTimeout"_s, formatDuration(*policies.connectTimeoutMs)}});
    if (!policies.tls.isEmpty())
        object.insert(u"tls"_s, policies.tls);
    return object;
}

void decodeAi(FieldReader &ai, AiBackend &backend)
{
    ai.allowOnly({"provider", "groups"});
    if (ai.has(u"provider"_s) == ai.has(u"groups"_s)) {
        ai.fail(u"exactly one of the fields in [provider groups] must be set"_s);
        return;
    }
    if (auto provider = ai.child(u"provider"_s))
        backend.provider = decodeProvider(*provider, false);
    for (FieldReader &group : ai.children(u"groups"_s, FieldReader::Optional, 1)) {
        group.allowOnly({"providers"});
        AiProviderGroup decoded;
        for (FieldReader &provider : group.children(u"providers"_s, FieldReader::Required, 1))
            decoded.providers.append(decodeProvider(provider, true));
        backend.groups.append(decoded);
    }
}

} // namespace

AiBackend AiBackendCodec::decode(FieldReader &document, const QString &apiVersion)
{
    document.allowOnly({"apiVersion", "kind", "metadata", "spec", "status"});
    AiBackend backend;
    backend.apiVersion = apiVersion;
    backend.meta = MetaCodec::decode(document);
    checkCredentialEndpoints(document, backend.meta);
    BudgetAnnotations::check(document, backend.meta);
    auto spec = document.child(u"spec"_s, FieldReader::Required);
    if (!spec)
        return backend;
    rejectNonAiSpec(*spec);
    spec->allowOnly({"ai", "policies"});
    if (auto ai = spec->child(u"ai"_s, FieldReader::Required))
        decodeAi(*ai, backend);
    if (auto policies = spec->child(u"policies"_s))
        backend.policies = decodePolicies(*policies);
    return backend;
}

AiBackend AiBackendCodec::decodeLegacy(FieldReader &document)
{
    document.allowOnly({"apiVersion", "kind", "metadata", "spec", "status"});
    AiBackend backend;
    backend.apiVersion = kLegacyApiVersion;
    backend.meta = MetaCodec::decode(document);
    checkCredentialEndpoints(document, backend.meta);
    BudgetAnnotations::check(document, backend.meta);
    auto spec = document.child(u"spec"_s, FieldReader::Required);
    if (!spec)
        return backend;
    rejectNonAiSpec(*spec);
    spec->allowOnly({"type", "ai"});
    if (spec->string(u"type"_s, FieldReader::Required) != "AI"_L1 && spec->ok())
        spec->failField(u"type"_s, u"only AI backends are supported by Quarry"_s);
    auto ai = spec->child(u"ai"_s, FieldReader::Required);
    if (!ai)
        return backend;
    ai->allowOnly({"llm", "priorityGroups"});
    if (ai->has(u"llm"_s) == ai->has(u"priorityGroups"_s)) {
        ai->fail(u"exactly one of the fields in [llm priorityGroups] must be set"_s);
        return backend;
    }
    if (auto llm = ai->child(u"llm"_s)) {
        if (!rejectOtherProviders(*llm))
            backend.provider = decodeLegacyProvider(*llm, backend, false);
    }
    for (FieldReader &group : ai->children(u"priorityGroups"_s, FieldReader::Optional, 1)) {
        group.allowOnly({"providers"});
        AiProviderGroup decoded;
        for (FieldReader &provider : group.children(u"providers"_s, FieldReader::Required, 1)) {
            if (!rejectOtherProviders(provider))
                decoded.providers.append(decodeLegacyProvider(provider, backend, true));
        }
        backend.groups.append(decoded);
    }
    return backend;
}

QJsonObject AiBackendCodec::encode(const AiBackend &backend, bool redactKeys)
{
    QJsonObject ai;
    if (backend.provider)
        ai.insert(u"provider"_s, encodeProvider(*backend.provider, redactKeys));
    if (!backend.groups.isEmpty()) {
        QJsonArray groups;
        for (const AiProviderGroup &group : backend.groups) {
            QJsonArray providers;
            for (const AiProvider &provider : group.providers)
                providers.append(encodeProvider(provider, redactKeys));
            groups.append(QJsonObject{{u"providers"_s, providers}});
        }
        ai.insert(u"groups"_s, groups);
    }
    QJsonObject spec{{u"ai"_s, ai}};
    const QJsonObject policies = encodePolicies(backend.policies, redactKeys);
    if (!policies.isEmpty())
        spec.insert(u"policies"_s, policies);
    return MetaCodec::document(backend.apiVersion, u"AgentgatewayBackend"_s, backend.meta, spec);
}

} // namespace quarry::config
