// kgateway v2.1's Backend from the model.
#include "config/export/LegacyBackendShape.h"

#include "config/AiBackendCodec.h"
#include "config/MetaCodec.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace quarry::config {
namespace {

// v2.2's route types and the spelling v2.1's llm.routes used for them (Embeddings had none).
QString legacyRouteType(const QString &type)
{
    static const QHash<QString, QString> kTypes{
        {u"Completions"_s, u"completions"_s}, {u"Messages"_s, u"messages"_s},
        {u"Models"_s, u"models"_s},           {u"Passthrough"_s, u"passthrough"_s},
        {u"Responses"_s, u"responses"_s},     {u"AnthropicTokenCount"_s, u"anthropic_token_count"_s}};
    return kTypes.value(type);
}

class Encoder
{
public:
    Encoder(const AiBackend &backend, QStringList &warnings)
        : m_backend(backend), m_warnings(warnings),
          m_routes(routes(backend.policies.ai.value(u"routes"_s).toObject()))
    {}

    QJsonObject spec()
    {
        QJsonObject ai;
        if (m_backend.provider) {
            ai.insert(u"llm"_s, provider(*m_backend.provider));
        } else {
            QJsonArray groups;
            for (const AiProviderGroup &group : m_backend.groups) {
                QJsonArray providers;
                for (const AiProvider &member : group.providers)
                    providers.append(provider(member));
                groups.append(QJsonObject{{u"providers"_s, providers}});
            }
            ai.insert(u"priorityGroups"_s, groups);
        }
        reportMissing(m_backend.policies, u"spec.policies"_s, true);
        return QJsonObject{{u"type"_s, u"AI"_s}, {u"ai"_s, ai}};
    }

private:
    const AiBackend &m_backend;
    QStringList &m_warnings;
    const QJsonObject m_routes; // v2.2's policies.ai.routes in v2.1's spelling, set on every provider

    void warn(const QString &message)
    {
        m_warnings.append(u"backend %1: %2"_s.arg(m_backend.meta.name, message));
    }

    // A group provider's own auth wins over the backend's, as in v2.2.
    const BackendAuth &authFor(const AiProvider &provider) const
    {
        if (provider.policies && provider.policies->auth.kind != BackendAuth::Kind::DefaultChain)
            return provider.policies->auth;
        return m_backend.policies.auth;
    }

    QJsonObject provider(const AiProvider &provider)
    {
        const BackendAuth &auth = authFor(provider);
        QJsonObject bedrock{{u"region"_s, provider.bedrock.region}};
        if (!provider.bedrock.model.isEmpty())
            bedrock.insert(u"model"_s, provider.bedrock.model);
        if (provider.bedrock.guardrail)
            bedrock.insert(u"guardrail"_s,
                           QJsonObject{{u"identifier"_s, provider.bedrock.guardrail->identifier},
                                       {u"version"_s, provider.bedrock.guardrail->version}});
        // v2.1 read a Secret of AWS keys (or an API key) from bedrock.auth; v2.2 moved it to policies.auth.
        if (!auth.secretName.isEmpty())
            bedrock.insert(u"auth"_s,
                           QJsonObject{{u"type"_s, u"Secret"_s},
                                       {u"secretRef"_s, QJsonObject{{u"name"_s, auth.secretName}}}});
        QJsonObject llm{{u"bedrock"_s, bedrock}};
        if (!provider.name.isEmpty())
            llm.insert(u"name"_s, provider.name);
        if (!provider.host.isEmpty())
            llm.insert(u"host"_s, provider.host);
        if (provider.port)
            llm.insert(u"port"_s, *provider.port);
        if (!provider.path.isEmpty())
            llm.insert(u"path"_s, QJsonObject{{u"full"_s, provider.path}});
        if (!m_routes.isEmpty())
            llm.insert(u"routes"_s, m_routes);
        if (provider.policies)
            reportMissing(*provider.policies, u"provider %1's policies"_s.arg(provider.name), false);
        return llm;
    }

    QJsonObject routes(const QJsonObject &v22Routes)
    {
        QJsonObject routes;
        for (auto it = v22Routes.begin(); it != v22Routes.end(); ++it) {
            const QString type = legacyRouteType(it.value().toString());
            if (type.isEmpty())
                warn(u"route type %1 for \"%2\" does not exist in kgateway v2.1; left out"_s.arg(
                    it.value().toString(), it.key()));
            else
                routes.insert(it.key(), type);
        }
        return routes;
    }

    // Everything of v2.2's policies that v2.1's Backend has no field for (routes and auth map).
    void reportMissing(const BackendPolicies &policies, const QString &where, bool routesMapped)
    {
        QStringList aiFields = policies.ai.keys();
        if (routesMapped)
            aiFields.removeAll(u"routes"_s);
        if (!aiFields.isEmpty())
            warn(u"%1.ai (%2) has no field in kgateway v2.1's Backend (v2.1 sets these on a TrafficPolicy); "
                 "left out"_s.arg(where, aiFields.join(u", "_s)));
        QStringList connection;
        if (!policies.tls.isEmpty())
            connection.append(u"tls"_s);
        if (policies.requestTimeoutMs || !policies.httpVersion.isEmpty())
            connection.append(u"http"_s);
        if (policies.connectTimeoutMs)
            connection.append(u"tcp"_s);
        if (!connection.isEmpty())
            warn(u"%1 (%2) has no field in kgateway v2.1's Backend (v2.1 sets these on a "
                 "BackendConfigPolicy); left out"_s.arg(where, connection.join(u", "_s)));
    }
};

} // namespace

QJsonObject LegacyBackendShape::encode(const AiBackend &backend, QStringList &warnings)
{
    return MetaCodec::document(AiBackendCodec::kLegacyApiVersion, u"Backend"_s, backend.meta,
                               Encoder(backend, warnings).spec());
}

} // namespace quarry::config
