// spec.policies.ai of an AgentgatewayBackend, typed, and the request changes it asks for.
#pragma once

#include "providers/bedrock/converse/PromptCaching.h"
#include "providers/bedrock/converse/PromptEnrichment.h"
#include "providers/bedrock/converse/PromptGuard.h"
#include "util/Result.h"

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace quarry::bedrock {

// One entry of defaults[] / overrides[]: a top-level field of the client's JSON body.
struct FieldSetting
{
    QString field;
    QJsonValue value;
};

// Protocol-neutral: defaults/overrides work on the client's JSON (OpenAI or Anthropic), the
// guard, cache points and guardrail on the Converse body. The gateway calls, in order:
// applyDefaultsAndOverrides (client JSON) -> resolveModelAlias -> translate -> preparePrompt
// (guardRequest, prompt) -> addCachePoints -> applyGuardrail; answers go through ResponseGuard.
class AiPolicies
{
public:
    // `ai` is config::BackendPolicies::ai. Errors name the field, e.g. "promptGuard.request[0].regex.action: ...".
    // A defaults/overrides value that is a string holding JSON ("0.5", "100", "true", "[1,2]") is
    // used as that JSON value: the CRD's own examples write numbers as strings.
    static Result<AiPolicies> parse(const QJsonObject &ai);

    // defaults only where the field is absent (or null); overrides always. A default entry with
    // "override": true (the older CRD form) acts as an override.
    void applyDefaultsAndOverrides(QJsonObject &clientRequest) const;

    // modelAliases[model], or model itself.
    QString resolveModelAlias(const QString &model) const;

    // Runs promptGuard.request over the text blocks of the user turns (and toolResult text) of a
    // Converse body: masks in place, or returns the rejection to send (status + message).
    std::optional<PromptGuardRejection> guardRequest(QJsonObject &converse) const;
    // What every Converse body a client sent goes through: guardRequest, then the backend's own
    // prompt (prepended and appended messages) added — the guard reads what the client wrote,
    // not what the backend adds.
    std::optional<PromptGuardRejection> preparePrompt(QJsonObject &converse) const
    {
        if (auto rejection = guardRequest(converse))
            return rejection;
        m_prompt.apply(converse);
        return std::nullopt;
    }

    // routes: the route type ("Completions", "Passthrough", ...) this backend gives a request
    // path, or nullopt when routes does not say and the path decides (DESIGN §5).
    std::optional<QString> routeTypeFor(QStringView path) const;

    // promptGuard.request over every string of a body Quarry does not model (InvokeModel).
    const PromptGuard &requestGuard() const { return m_requestGuard; }
    // promptGuard.response, run over Bedrock's answers by ResponseGuard.
    const PromptGuard &responseGuard() const { return m_responseGuard; }

    // promptCaching, when configured: see promptcaching::addCachePoints.
    void addCachePoints(QJsonObject &converse, const QString &model) const;

    // preparePrompt, and then addCachePoints with applyGuardrail, over a Converse body held as JSON
    // text, as the client API translators write it: read back and rewritten (once) only when the
    // backend or provider has such a policy.
    std::optional<PromptGuardRejection> preparePrompt(QByteArray &converseJson) const;
    void addCachePointsAndGuardrail(QByteArray &converseJson, const QString &model,
                                    const QString &guardrailIdentifier,
                                    const QString &guardrailVersion) const;

    // spec.ai.provider.bedrock.guardrail -> guardrailConfig {guardrailIdentifier, guardrailVersion}.
    // For converse-stream Bedrock also takes streamProcessingMode; the default (sync) is kept.
    static void applyGuardrail(QJsonObject &converse, const QString &identifier, const QString &version);

    // Whether defaults or overrides rewrite the client's JSON before it is read.
    bool setsRequestFields() const { return !m_defaults.isEmpty() || !m_overrides.isEmpty(); }
    const QList<FieldSetting> &defaults() const { return m_defaults; }
    const QList<FieldSetting> &overrides() const { return m_overrides; }
    const std::optional<PromptCachingPolicy> &promptCaching() const { return m_promptCaching; }
    // Guards Quarry cannot run (webhook, openAIModeration), for a warning at load time.
    QStringList unsupportedGuards() const;

private:
    QList<FieldSetting> m_defaults;
    QList<FieldSetting> m_overrides;
    QHash<QString, QString> m_modelAliases;
    std::optional<PromptCachingPolicy> m_promptCaching;
    PromptGuard m_requestGuard;
    PromptGuard m_responseGuard;
    PromptEnrichment m_prompt;
    QList<std::pair<QString, QString>> m_routes; // path suffix or "*" -> route type name
};

} // namespace quarry::bedrock
