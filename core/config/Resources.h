// The configuration model: plain value types for the Kubernetes-style resources Quarry understands.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace quarry::config {

// The namespace of resources that name none. Quarry has one gateway, so it uses the namespace the
// agentgateway docs use: their commands work with or without `-n agentgateway-system`.
inline const QString kDefaultNamespace = QStringLiteral("agentgateway-system");

struct ObjectMeta
{
    QString name;
    QString ns = kDefaultNamespace;
    QMap<QString, QString> labels;
    QMap<QString, QString> annotations;
    bool operator==(const ObjectMeta &) const = default;
};

// ---- Gateway (gateway.networking.k8s.io/v1) ----

struct Listener
{
    QString name;
    int port = 0;
    QString protocol;
    QString hostname;
    QJsonObject allowedRoutes; // kept for export; Quarry serves every route on its one gateway
    bool operator==(const Listener &) const = default;
};

struct GatewayAddress
{
    QString type; // empty = unset (Gateway API default IPAddress)
    QString value;
    bool operator==(const GatewayAddress &) const = default;
};

struct Gateway
{
    ObjectMeta meta;
    QString gatewayClassName;
    QList<Listener> listeners;
    QList<GatewayAddress> addresses;

    QString bindAddress() const; // addresses[0] or 127.0.0.1
    int port() const;            // first HTTP listener or 8080
    bool operator==(const Gateway &) const = default;
};

// ---- HTTPRoute (gateway.networking.k8s.io/v1) ----

struct ParentRef
{
    QString group;
    QString kind;
    QString name;
    QString ns; // empty = the route's namespace
    QString sectionName;
    std::optional<int> port;
    bool operator==(const ParentRef &) const = default;
};

struct PathMatch
{
    enum class Type { PathPrefix, Exact, RegularExpression };
    Type type = Type::PathPrefix;
    QString value = QStringLiteral("/");
    bool operator==(const PathMatch &) const = default;
};

struct HeaderMatch
{
    enum class Type { Exact, RegularExpression };
    Type type = Type::Exact;
    QString name;
    QString value;
    bool operator==(const HeaderMatch &) const = default;
};

struct RouteMatch
{
    PathMatch path;
    QList<HeaderMatch> headers;
    QString method; // empty = any
    bool operator==(const RouteMatch &) const = default;
};

struct BackendRef
{
    QString name;
    QString ns; // empty = the route's namespace
    QString group;
    QString kind;
    std::optional<int> weight;
    std::optional<int> port;
    bool operator==(const BackendRef &) const = default;
};

struct HeaderValue
{
    QString name;
    QString value;
    bool operator==(const HeaderValue &) const = default;
};

struct HeaderModifier
{
    QList<HeaderValue> set;
    QList<HeaderValue> add;
    QStringList remove;
    bool operator==(const HeaderModifier &) const = default;
};

struct PathRewrite
{
    enum class Type { ReplacePrefixMatch, ReplaceFullPath };
    Type type = Type::ReplacePrefixMatch;
    QString value; // replacePrefixMatch or replaceFullPath, by type
    bool operator==(const PathRewrite &) const = default;
};

struct UrlRewrite
{
    QString hostname;
    std::optional<PathRewrite> path;
    bool operator==(const UrlRewrite &) const = default;
};

struct RouteFilter
{
    enum class Type { RequestHeaderModifier, URLRewrite };
    Type type = Type::RequestHeaderModifier;
    HeaderModifier requestHeaderModifier; // when type == RequestHeaderModifier
    UrlRewrite urlRewrite;                // when type == URLRewrite
    bool operator==(const RouteFilter &) const = default;
};

struct RouteRule
{
    QString name;
    QList<RouteMatch> matches; // never empty after parsing: none means PathPrefix "/"
    QList<RouteFilter> filters;
    QList<BackendRef> backendRefs;
    std::optional<qint64> requestTimeoutMs;
    std::optional<qint64> backendRequestTimeoutMs;
    bool operator==(const RouteRule &) const = default;
};

struct HttpRoute
{
    ObjectMeta meta;
    QList<ParentRef> parentRefs;
    QStringList hostnames;
    QList<RouteRule> rules;
    bool operator==(const HttpRoute &) const = default;
};

// ---- AgentgatewayBackend (v2.2) ----

struct Guardrail
{
    QString identifier;
    QString version;
    bool operator==(const Guardrail &) const = default;
};

struct BedrockProvider
{
    QString model; // empty = take the model from the request
    QString region = QStringLiteral("us-east-1");
    std::optional<Guardrail> guardrail;
    bool operator==(const BedrockProvider &) const = default;
};

struct BackendAuth
{
    enum class Kind { DefaultChain, SecretRef, AwsSecretRef, InlineKey };
    Kind kind = Kind::DefaultChain;
    QString secretName; // SecretRef, AwsSecretRef
    QString inlineKey;  // InlineKey: a credential; never log it
    bool operator==(const BackendAuth &) const = default;
};

struct BackendPolicies
{
    BackendAuth auth;
    QJsonObject ai; // routes, defaults, overrides, modelAliases, prompt, promptCaching, promptGuard
    std::optional<qint64> requestTimeoutMs;
    QString httpVersion; // HTTP1 | HTTP2 | empty
    std::optional<qint64> connectTimeoutMs;
    QJsonObject tls;
    bool operator==(const BackendPolicies &) const = default;
};

struct AiProvider
{
    QString name; // set for group providers only
    BedrockProvider bedrock;
    QString host; // host/port/path override the Bedrock endpoint (VPC endpoints, simulator)
    std::optional<int> port;
    QString path;
    std::optional<BackendPolicies> policies; // group providers only
    bool operator==(const AiProvider &) const = default;
};

struct AiProviderGroup
{
    QList<AiProvider> providers;
    bool operator==(const AiProviderGroup &) const = default;
};

struct AiBackend
{
    static inline const QString kApiVersionAgentgateway = QStringLiteral("agentgateway.dev/v1alpha1");
    static inline const QString kApiVersionKgateway = QStringLiteral("gateway.kgateway.dev/v1alpha1");

    QString apiVersion = kApiVersionKgateway; // kept as written, so export gives it back
    ObjectMeta meta;
    std::optional<AiProvider> provider; // exactly one of provider / groups is set
    QList<AiProviderGroup> groups;
    BackendPolicies policies;
    bool operator==(const AiBackend &) const = default;
};

// ---- ConfigMap (v1): the CA bundle (`ca.crt`) a backend's policies.tls.caCertificateRefs names ----

struct ConfigMap
{
    ObjectMeta meta;
    QMap<QString, QString> data;
    bool operator==(const ConfigMap &) const = default;
};

// ---- Secret (v1): applied to the keychain, never stored by the config module ----

struct SecretManifest
{
    ObjectMeta meta;
    QString type;
    QMap<QString, QByteArray> data; // stringData and base64-decoded data merged
    bool operator==(const SecretManifest &) const = default;
};

enum class ResourceKind { Gateway, HttpRoute, Backend, ConfigMap, Secret };

// One parsed manifest document.
struct Resource
{
    std::variant<Gateway, HttpRoute, AiBackend, ConfigMap, SecretManifest> object;
    QString convertedFrom; // e.g. "Backend v2.1" when an older shape was converted on import

    ResourceKind kind() const;
    const ObjectMeta &meta() const;
    template<typename T>
    const T *as() const
    {
        return std::get_if<T>(&object);
    }
    bool operator==(const Resource &) const = default;
};

// What the store holds: everything but Secrets.
struct ResourceSet
{
    QList<Gateway> gateways;
    QList<HttpRoute> routes;
    QList<AiBackend> backends;
    QList<ConfigMap> configMaps;
    bool operator==(const ResourceSet &) const = default;

    // The resource of that kind, namespace and name, if the set holds one (never a Secret).
    std::optional<Resource> find(ResourceKind kind, const QString &ns, const QString &name) const;
};

} // namespace quarry::config
