// Anthropic count_tokens requests and answers translated to and from Bedrock CountTokens.
#include "providers/bedrock/anthropic/AnthropicCountTokens.h"

#include "providers/bedrock/anthropic/AnthropicConverseBuilder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

// "arn:aws:bedrock:REGION:ACCOUNT:foundation-model/ID" or ".../inference-profile/ID" -> ID.
Result<QString> resourceId(const QString &model)
{
    if (!model.startsWith("arn:"_L1))
        return model;
    const qsizetype slash = model.indexOf(u'/');
    const QString kind = model.section(u':', 5).section(u'/', 0, 0);
    if (kind == "application-inference-profile"_L1) {
        return Result<QString>::failure(u"model: count_tokens cannot tell which model the application "
                                        "inference profile '"_s %
                                        model %
                                        u"' uses; send the Claude model id (e.g. "
                                        "anthropic.claude-sonnet-4-20250514-v1:0) instead"_s);
    }
    if (slash < 0 || (kind != "foundation-model"_L1 && kind != "inference-profile"_L1))
        return Result<QString>::failure(u"model: '"_s % model % u"' is not a Bedrock model ARN"_s);
    return model.mid(slash + 1);
}

} // namespace

Result<QString> AnthropicCountTokens::bedrockModelId(const QString &model)
{
    if (model.isEmpty())
        return Result<QString>::failure(u"model: required for count_tokens"_s);
    auto id = resourceId(model);
    if (!id)
        return id;
    // Cross-region inference profiles put a geography before the provider: "us.anthropic...".
    static const QRegularExpression profilePrefix(u"^[a-z]{2,6}(-[a-z]+)?\\.(?=anthropic\\.)"_s);
    const QString foundation = QString(id.value()).remove(profilePrefix);
    static const QRegularExpression legacy(u"^anthropic\\.claude-(v2|instant|3-(haiku|sonnet|opus)-)"_s);
    if (!foundation.startsWith("anthropic.claude-"_L1) || legacy.match(foundation).hasMatch()) {
        return Result<QString>::failure(u"model: '"_s % model %
                                        u"' does not support count_tokens on Bedrock (only Anthropic "
                                        "Claude 3.5 and later models do)"_s);
    }
    return foundation;
}

QByteArray AnthropicCountTokens::requestBody(const AnthropicRequest &request)
{
    ConverseBody converse = AnthropicConverseBuilder().build(request).body;
    converse.maxTokens.reset();
    converse.temperature.reset();
    converse.topP.reset();
    converse.stopSequences.clear();
    // Thinking changes the count; top_k and betas do not, and CountTokens need not accept them.
    const QJsonValue thinking = converse.additionalFields.value("thinking"_L1);
    converse.additionalFields = thinking.isObject() ? QJsonObject{{u"thinking"_s, thinking}} : QJsonObject{};
    return "{\"input\":{\"converse\":" + converse.toJson() + "}}";
}

Result<QByteArray> AnthropicCountTokens::responseBody(const QByteArray &bedrockResponse)
{
    const QJsonValue tokens = QJsonDocument::fromJson(bedrockResponse).object().value("inputTokens"_L1);
    if (!tokens.isDouble() || tokens.toDouble() < 0)
        return Result<QByteArray>::failure(u"CountTokens response: inputTokens missing"_s);
    const QJsonObject body{{u"input_tokens"_s, static_cast<qint64>(tokens.toDouble())}};
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace quarry::bedrock
