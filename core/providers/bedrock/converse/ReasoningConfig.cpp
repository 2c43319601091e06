// Reasoning effort budgets, thinking request fields and reasoningContent blocks.
#include "providers/bedrock/converse/ReasoningConfig.h"

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

namespace reasoning {

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

} // namespace reasoning
} // namespace quarry::bedrock
