// Parses spec.policies.ai and applies defaults, overrides, aliases, the prompt guard and caching.
#include "providers/bedrock/converse/AiPolicies.h"

#include "util/StrictJson.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

// "0.5" -> 0.5, "[1,2]" -> [1,2]; any other string stays a string.
QJsonValue settingValue(const QJsonValue &value)
{
    if (!value.isString())
        return value;
    const QByteArray wrapped = "[" + value.toString().toUtf8() + "]";
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(wrapped, &error);
    if (error.error != QJsonParseError::NoError || document.array().size() != 1)
        return value;
    return document.array().first();
}

Status parseSettings(const QJsonValue &value, const QString &path, QList<FieldSetting> &normal,
                     QList<FieldSetting> &forced)
{
    if (!value.isUndefined() && !value.isArray())
        return Status::failure(path % u": must be a list of {field, value}"_s);
    const QJsonArray entries = value.toArray();
    for (int i = 0; i < entries.size(); ++i) {
        const QJsonObject entry = entries.at(i).toObject();
        const QString field = entry.value("field"_L1).toString();
        if (field.isEmpty() || !entry.contains("value"_L1))
            return Status::failure(path % u'[' % QString::number(i) % u"]: needs a field and a value"_s);
        auto &target = entry.value("override"_L1).toBool() ? forced : normal;
        target.append({field, settingValue(entry.value("value"_L1))});
    }
    return Ok{};
}

// routes: {"<path suffix>" | "*": "<route type>"}. The type names were checked at apply
// (AiBackendCodec); the gateway maps them to its route types.
QList<std::pair<QString, QString>> parseRoutes(const QJsonValue &value)
{
    QList<std::pair<QString, QString>> routes;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it)
        routes.append({it.key(), it.value().toString()});
    return routes;
}

PromptCachingPolicy parseCaching(const QJsonObject &object)
{
    PromptCachingPolicy policy;
    policy.cacheSystem = object.value("cacheSystem"_L1).toBool(policy.cacheSystem);
    policy.cacheMessages = object.value("cacheMessages"_L1).toBool(policy.cacheMessages);
    policy.cacheTools = object.value("cacheTools"_L1).toBool(policy.cacheTools);
    policy.minTokens = static_cast<qint64>(object.value("minTokens"_L1).toDouble(double(policy.minTokens)));
    return policy;
}

// Applies `guard` to every text in a content list, recursing into toolResult content.
std::optional<PromptGuardRejection> guardBlocks(const PromptGuard &guard, QJsonArray &blocks)
{
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        QJsonObject block = blocks.at(i).toObject();
        if (block.value("text"_L1).isString()) {
            QString text = block.value("text"_L1).toString();
            if (auto rejection = guard.apply(text))
                return rejection;
            block.insert(u"text"_s, text);
        } else if (block.value("toolResult"_L1).isObject()) {
            QJsonObject result = block.value("toolResult"_L1).toObject();
            QJsonArray content = result.value("content"_L1).toArray();
            if (auto rejection = guardBlocks(guard, content))
                return rejection;
            result.insert(u"content"_s, content);
            block.insert(u"toolResult"_s, result);
        }
        blocks.replace(i, block);
    }
    return std::nullopt;
}

} // namespace

Result<AiPolicies> AiPolicies::parse(const QJsonObject &ai)
{
    using R = Result<AiPolicies>;
    AiPolicies policies;
    for (const Status &step :
         {parseSettings(ai.value("defaults"_L1), u"defaults"_s, policies.m_defaults, policies.m_overrides),
          parseSettings(ai.value("overrides"_L1), u"overrides"_s, policies.m_overrides, policies.m_overrides)}) {
        if (!step)
            return R::failure(step.error());
    }
    const QJsonObject aliases = ai.value("modelAliases"_L1).toObject();
    for (auto it = aliases.begin(); it != aliases.end(); ++it)
        policies.m_modelAliases.insert(it.key(), it.value().toString());
    if (ai.value("promptCaching"_L1).isObject())
        policies.m_promptCaching = parseCaching(ai.value("promptCaching"_L1).toObject());
    const QJsonObject guard = ai.value("promptGuard"_L1).toObject();
    auto request = PromptGuard::parse(guard.value("request"_L1).toArray(), u"promptGuard.request"_s);
    if (!request)
        return R::failure(request.error());
    auto response = PromptGuard::parse(guard.value("response"_L1).toArray(), u"promptGuard.response"_s,
                                       u"answer"_s);
    if (!response)
        return R::failure(response.error());
    policies.m_requestGuard = request.value();
    policies.m_responseGuard = response.value();
    auto prompt = PromptEnrichment::parse(ai.value("prompt"_L1));
    if (!prompt)
        return R::failure(prompt.error());
    policies.m_prompt = std::move(prompt.value());
    policies.m_routes = parseRoutes(ai.value("routes"_L1));
    return policies;
}

std::optional<QString> AiPolicies::routeTypeFor(QStringView path) const
{
    // The longest suffix the path ends with wins, so "/v1/chat/completions" beats "/completions";
    // "*" only when none does.
    const std::pair<QString, QString> *best = nullptr;
    for (const auto &route : m_routes) {
        if (route.first != "*"_L1 && path.endsWith(route.first) &&
            (!best || route.first.size() > best->first.size()))
            best = &route;
    }
    if (best)
        return best->second;
    for (const auto &route : m_routes) {
        if (route.first == "*"_L1)
            return route.second;
    }
    return std::nullopt;
}

void AiPolicies::applyDefaultsAndOverrides(QJsonObject &clientRequest) const
{
    for (const FieldSetting &setting : m_defaults) {
        const QJsonValue current = clientRequest.value(setting.field);
        if (!util::isSet(current))
            clientRequest.insert(setting.field, setting.value);
    }
    for (const FieldSetting &setting : m_overrides)
        clientRequest.insert(setting.field, setting.value);
}

QString AiPolicies::resolveModelAlias(const QString &model) const
{
    return m_modelAliases.value(model, model);
}

std::optional<PromptGuardRejection> AiPolicies::guardRequest(QJsonObject &converse) const
{
    if (m_requestGuard.isEmpty())
        return std::nullopt;
    // Every text the model will read: the system blocks and every turn (a client can put text in
    // an assistant turn or a tool result as easily as in a user turn), tool results included.
    QJsonArray system = converse.value("system"_L1).toArray();
    if (auto rejection = guardBlocks(m_requestGuard, system))
        return rejection;
    if (!system.isEmpty())
        converse.insert(u"system"_s, system);
    QJsonArray messages = converse.value("messages"_L1).toArray();
    for (qsizetype i = 0; i < messages.size(); ++i) {
        QJsonObject message = messages.at(i).toObject();
        QJsonArray content = message.value("content"_L1).toArray();
        if (auto rejection = guardBlocks(m_requestGuard, content))
            return rejection;
        message.insert(u"content"_s, content);
        messages.replace(i, message);
    }
    converse.insert(u"messages"_s, messages);
    return std::nullopt;
}

void AiPolicies::addCachePoints(QJsonObject &converse, const QString &model) const
{
    if (m_promptCaching)
        promptcaching::addCachePoints(converse, model, *m_promptCaching);
}

namespace {

// A policy that edits Qt JSON, run on a body held as JSON text.
template <typename Edit> void editJson(QByteArray &json, Edit edit)
{
    QJsonObject object = QJsonDocument::fromJson(json).object();
    edit(object);
    json = QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

std::optional<PromptGuardRejection> AiPolicies::preparePrompt(QByteArray &converseJson) const
{
    std::optional<PromptGuardRejection> rejection;
    if (!m_requestGuard.isEmpty() || !m_prompt.isEmpty())
        editJson(converseJson, [&](QJsonObject &converse) { rejection = preparePrompt(converse); });
    return rejection;
}

void AiPolicies::addCachePointsAndGuardrail(QByteArray &converseJson, const QString &model,
                                            const QString &guardrailIdentifier,
                                            const QString &guardrailVersion) const
{
    if (!m_promptCaching && guardrailIdentifier.isEmpty())
        return;
    editJson(converseJson, [&](QJsonObject &converse) {
        addCachePoints(converse, model);
        applyGuardrail(converse, guardrailIdentifier, guardrailVersion);
    });
}

void AiPolicies::applyGuardrail(QJsonObject &converse, const QString &identifier, const QString &version)
{
    if (identifier.isEmpty())
        return;
    converse.insert(u"guardrailConfig"_s,
                    QJsonObject{{u"guardrailIdentifier"_s, identifier}, {u"guardrailVersion"_s, version}});
}

QStringList AiPolicies::unsupportedGuards() const
{
    return m_requestGuard.unsupportedGuards() + m_responseGuard.unsupportedGuards();
}

} // namespace quarry::bedrock
