// Reasoning effort budgets, thinking request fields and reasoningContent blocks.
#include "providers/bedrock/converse/ReasoningConfig.h"

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

QJsonObject ReasoningBlock::toConverseBlock() const
{
    if (!redactedContent.isEmpty()) {
        return QJsonObject{{u"reasoningContent"_s,
                            QJsonObject{{u"redactedContent"_s, QString::fromLatin1(redactedContent)}}}};
    }
    QJsonObject reasoningText{{u"text"_s, text}};
    if (!signature.isEmpty())
        reasoningText.insert(u"signature"_s, signature);
    return QJsonObject{{u"reasoningContent"_s, QJsonObject{{u"reasoningText"_s, reasoningText}}}};
}

namespace reasoning {

constexpr qint64 AnswerRoomWhenUnset = 4096;

Result<std::optional<qint64>> budgetForEffort(const QString &effort)
{
    using R = Result<std::optional<qint64>>;
    if (effort == "none"_L1)
        return std::optional<qint64>{};
    if (effort == "minimal"_L1 || effort == "low"_L1)
        return std::optional<qint64>{1024};
    if (effort == "medium"_L1)
        return std::optional<qint64>{4096};
    if (effort == "high"_L1)
        return std::optional<qint64>{16384};
    return R::failure(u"reasoning_effort: must be one of none, minimal, low, medium, high"_s);
}

QJsonObject enabledThinking(qint64 budgetTokens)
{
    return QJsonObject{{u"type"_s, u"enabled"_s}, {u"budget_tokens"_s, budgetTokens}};
}

void applyThinking(QJsonObject &converse, const QJsonObject &thinking)
{
    QJsonObject extra = converse.value("additionalModelRequestFields"_L1).toObject();
    extra.insert(u"thinking"_s, thinking);
    converse.insert(u"additionalModelRequestFields"_s, extra);
    const qint64 budget = static_cast<qint64>(thinking.value("budget_tokens"_L1).toDouble(0));
    if (budget <= 0)
        return;
    QJsonObject config = converse.value("inferenceConfig"_L1).toObject();
    const qint64 maxTokens = static_cast<qint64>(config.value("maxTokens"_L1).toDouble(0));
    if (maxTokens > budget)
        return;
    config.insert(u"maxTokens"_s, budget + (maxTokens > 0 ? maxTokens : AnswerRoomWhenUnset));
    converse.insert(u"inferenceConfig"_s, config);
}

} // namespace reasoning
} // namespace quarry::bedrock
